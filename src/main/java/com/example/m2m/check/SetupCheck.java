package com.example.m2m.check;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.example.m2m.api.Endpoints;
import com.example.m2m.api.Endpoints.Access;
import com.example.m2m.api.Endpoints.Endpoint;
import com.example.m2m.client.CallerDpopKey;
import com.example.m2m.config.IssuerList;
import com.example.m2m.security.rules.TokenRule;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.OidcClientException;
import io.quarkus.oidc.client.Tokens;
import io.quarkus.value.registry.ValueRegistry;
import io.quarkus.vertx.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code call --check}: says why the caller's token would be refused, before anyone deploys. Runs in a process that
 * is the service and the caller at once, with the same settings ({@code .env} included): the service listens on a
 * loopback port of its own, the caller gets a token as {@code call} does, and the service's answer to that token is
 * the verdict (the same code that will run in production). Around it, one line per check says what the issuer's
 * metadata, the token request and the token's claims show against each setting, and what to change.
 */
@ApplicationScoped
public class SetupCheck {

    static final String ISSUERS = "Issuer metadata";
    static final String TOKEN = "Token request";
    static final String CHECKS = "The token, checked as the service checks it";
    static final String SERVICE = "The service's answer";

    @Inject
    OidcClient caller;

    @Inject
    CallerDpopKey dpop;

    @Inject
    @Any
    Instance<TokenRule> rules;

    @Inject
    ValueRegistry values;

    @ConfigProperty(name = "api.issuers")
    Optional<String> issuerSetting;

    @ConfigProperty(name = "quarkus.oidc.auth-server-url")
    Optional<String> firstIssuer;

    @ConfigProperty(name = "quarkus.oidc.token.audience")
    Optional<List<String>> audience;

    @ConfigProperty(name = "api.token.audience-check")
    boolean audienceCheck;

    @ConfigProperty(name = "api.token.allowed-clients")
    Optional<List<String>> allowedClients;

    @ConfigProperty(name = Endpoints.DEFAULT_SCOPE_SETTING)
    String defaultScope;

    @ConfigProperty(name = "quarkus.oidc.roles.role-claim-path")
    List<String> scopeClaims;

    @ConfigProperty(name = Endpoints.SCOPE_PREFIX_SETTING)
    Optional<String> scopePrefix;

    @ConfigProperty(name = "quarkus.oidc-client.client-id")
    Optional<String> clientId;

    @ConfigProperty(name = "quarkus.oidc-client.scopes")
    Optional<List<String>> requestedScopes;

    @ConfigProperty(name = "TEST_CLIENT_SCOPE")
    Optional<String> testClientScope;

    @ConfigProperty(name = "api.token.clock-skew-seconds")
    long clockSkew;

    @ConfigProperty(name = "api.token.require-rfc9068")
    boolean rfc9068;

    @ConfigProperty(name = "api.registration.enabled")
    boolean registration;

    @ConfigProperty(name = "INTROSPECTION_CLIENT_ID")
    Optional<String> introspectionClient;

    @ConfigProperty(name = "quarkus.oidc-client.credentials.client-secret.value")
    Optional<String> callerSecret;

    @ConfigProperty(name = "INTROSPECTION_CLIENT_SECRET")
    Optional<String> introspectionSecret;

    @ConfigProperty(name = "REGISTRAR_CLIENT_SECRET")
    Optional<String> registrarSecret;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public CheckReport run() {
        CheckReport report = new CheckReport();
        List<String> secrets = new ArrayList<>();
        callerSecret.ifPresent(secrets::add);
        introspectionSecret.ifPresent(secrets::add);
        registrarSecret.ifPresent(secrets::add);
        report.neverPrint(secrets);

        List<IssuerMetadata> issuers = issuers().stream().map(url -> IssuerMetadata.fetch(http, url)).toList();
        issuers.forEach(issuer -> report.add(ISSUERS + " (" + issuer.listed() + ")", issuer.findings()));

        String scopeSetting = testClientScope.filter(s -> !s.isBlank()).isPresent() ? "TEST_CLIENT_SCOPE"
                : "DEFAULT_SCOPE";
        String token = token(report, scopeSetting);
        if (token == null) {
            report.verdict(false, "no token, so nothing could be called: fix the token request first");
            return report;
        }
        report.neverPrint(List.of(token));

        ServiceCalls service = new ServiceCalls(http, localService(), token, dpop);
        ServiceCalls.Answer whoami = call(service, Endpoints.WHOAMI);
        Set<String> scopes = scopesOf(whoami);
        TokenFindings.Settings settings = new TokenFindings.Settings(audience.orElse(List.of()), audienceCheck,
                allowedClients.orElse(List.of()), defaultScope, scopeClaims, scopePrefix.map(String::strip).orElse(""),
                clientId.orElse(null), clockSkew, introspectionClient.filter(s -> !s.isBlank()).isPresent(), rfc9068);
        report.add(CHECKS, new TokenFindings(settings, issuers, this::read, rules.stream().toList())
                .check(token, Instant.now()));
        report.add(SERVICE, whoami.status() == 200
                ? Finding.ok("verdict", "accepted: GET " + Endpoints.WHOAMI + " answered 200, scopes " + scopes)
                : Finding.fail("verdict", "refused: GET " + Endpoints.WHOAMI + " answered " + whoami.status()
                        + describe(whoami), null, "see the failed checks above"));
        boolean served = endpoints(report, service, whoami.status() == 200, scopes);
        report.verdict(served, served ? "the caller is served on GET / (DEFAULT_SCOPE " + defaultScope + ")"
                : "the caller would not be served on GET / (DEFAULT_SCOPE " + defaultScope + ")");
        return report;
    }

    private List<String> issuers() {
        Optional<String> listed = issuerSetting.filter(s -> !s.isBlank()).or(() -> firstIssuer.filter(s -> !s.isBlank()));
        return listed.map(IssuerList::parse).orElse(List.of());
    }

    /** The caller's token, or null with the reason in the report. */
    private String token(CheckReport report, String scopeSetting) {
        String asked = "client " + clientId.map(id -> "\"" + id + "\"").orElse("(TEST_CLIENT_ID not set)") + ", scope "
                + requestedScopes.map(s -> String.join(" ", s)).orElse("none") + (dpop.enabled() ? ", DPoP-bound" : "");
        try {
            Tokens tokens = caller.getTokens().await().atMost(Duration.ofSeconds(30));
            report.add(TOKEN, Finding.ok("token", "a token for " + asked + ", expires in "
                    + (tokens.getAccessTokenExpiresAt() == null ? "?"
                            : tokens.getAccessTokenExpiresAt() - Instant.now().getEpochSecond()) + " s"));
            return tokens.getAccessToken();
        } catch (OidcClientException e) {
            if (unreachable(e)) {
                report.add(TOKEN, Finding.fail("token request", "the token endpoint is not reachable (" + rootMessage(e)
                        + ")", "ISSUER", "check ISSUER and that the authorization server is up"));
            } else {
                report.add(TOKEN, TokenRequestFailure.explain(e.getMessage(), scopeSetting));
            }
        } catch (RuntimeException e) {
            report.add(TOKEN, Finding.fail("token request", "no token for " + asked + ": " + rootMessage(e),
                    "TEST_CLIENT_ID", "check TEST_CLIENT_ID, TEST_CLIENT_SECRET (or TEST_CLIENT_KEY_FILE) and ISSUER"));
        }
        return null;
    }

    private static boolean unreachable(OidcClientException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return e.getMessage() != null && e.getMessage().contains("server is not available");
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    /** This process's own HTTP server: the service with the settings being checked. */
    private URI localService() {
        return values.get(HttpServer.HTTP_SERVER).getLocalBaseUri();
    }

    private static ServiceCalls.Answer call(ServiceCalls service, String path) {
        try {
            return service.get(path);
        } catch (IOException e) {
            return new ServiceCalls.Answer(0, null, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ServiceCalls.Answer(0, null, "interrupted");
        }
    }

    private static Set<String> scopesOf(ServiceCalls.Answer whoami) {
        Set<String> scopes = new TreeSet<>();
        if (whoami.status() == 200) {
            JsonArray granted = new JsonObject(whoami.body()).getJsonArray("scopes", new JsonArray());
            granted.forEach(s -> scopes.add(String.valueOf(s)));
        }
        return scopes;
    }

    private static String describe(ServiceCalls.Answer answer) {
        if (answer.challenge() != null) {
            return " (" + answer.challenge().replaceAll(", resource_metadata=\"[^\"]*\"", "") + ")";
        }
        return answer.body() == null || answer.body().isBlank() ? "" : " (" + TokenRequestFailure.shortened(answer.body()) + ")";
    }

    /**
     * Each endpoint with what it needs: the ones this token may read are called (GET), the registration endpoint is
     * judged by its scope only (a check registers nothing). Whether {@code GET /} answered 200.
     */
    private boolean endpoints(CheckReport report, ServiceCalls service, boolean accepted, Set<String> scopes) {
        boolean served = false;
        for (Endpoint endpoint : Endpoints.all(defaultScope)) {
            if (endpoint.access() == Access.OPEN) {
                continue;
            }
            String needs = endpoint.scope() == null ? "any valid token" : endpoint.scope();
            if (!"GET".equals(endpoint.method())) {
                boolean allowed = accepted && scopes.contains(endpoint.scope()) && registration;
                report.endpoint(new CheckReport.Access(endpoint.method(), endpoint.path(), needs, allowed,
                        !registration ? "registration is off (REGISTRATION_ENABLED)"
                                : !accepted ? "the token is refused" : allowed ? "has " + endpoint.scope()
                                        : "lacks " + endpoint.scope() + " (not called: a check registers nothing)"));
                continue;
            }
            ServiceCalls.Answer answer = call(service, endpoint.path());
            boolean allowed = answer.status() == 200;
            served |= allowed && Endpoints.ROOT.equals(endpoint.path());
            report.endpoint(new CheckReport.Access(endpoint.method(), endpoint.path(), needs, allowed,
                    allowed ? "200" + (endpoint.scope() == null ? "" : ", has " + endpoint.scope())
                            : answer.status() == 403 ? "403, lacks " + endpoint.scope()
                                    : answer.status() + describe(answer)));
        }
        return served;
    }

    /** A URL's body, or null (the issuer's key set). */
    private String read(String url) {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() == 200 ? answer.body() : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
