package com.example.m2m.check;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.example.m2m.config.IssuerList;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An issuer's discovery document (OpenID Connect Discovery 1.0 section 4, RFC 8414) as {@code call --check} reads
 * it, and what in it contradicts the settings: an issuer string other than {@code ISSUER}, no key set, plain HTTP
 * outside loopback, an Okta org authorization server, a clock that differs from this machine's.
 *
 * @param listed      the URL as {@code ISSUER} lists it
 * @param document    the document, or null when none could be read
 * @param problem     why none could be read, or null
 * @param clockOffset the issuer's clock minus this machine's, from the answer's {@code Date} header, or null
 */
public record IssuerMetadata(String listed, JsonObject document, String problem, Long clockOffset) {

    static final String OPENID_CONFIGURATION = "/.well-known/openid-configuration";

    /** Clocks further apart than this are worth a line: tokens would look expired or issued in the future. */
    static final long CLOCK_NOTE_SECONDS = 30;

    /** Reads the document at {@code <listed>/.well-known/openid-configuration}, as Quarkus does. */
    public static IssuerMetadata fetch(HttpClient http, String listed) {
        URI url = URI.create(IssuerList.withoutTrailingSlash(listed) + OPENID_CONFIGURATION);
        try {
            Instant asked = Instant.now();
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            Long offset = answer.headers().firstValue("Date").map(IssuerMetadata::parseDate)
                    .map(date -> date.getEpochSecond() - asked.getEpochSecond()).orElse(null);
            if (answer.statusCode() != 200) {
                return new IssuerMetadata(listed, null, url + " answered HTTP " + answer.statusCode(), offset);
            }
            try {
                return new IssuerMetadata(listed, new JsonObject(answer.body()), null, offset);
            } catch (DecodeException | ClassCastException e) {
                return new IssuerMetadata(listed, null, url + " did not answer a JSON object", offset);
            }
        } catch (IOException | IllegalArgumentException e) {
            return new IssuerMetadata(listed, null, url + " is not reachable (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new IssuerMetadata(listed, null, "interrupted", null);
        }
    }

    private static Instant parseDate(String value) {
        try {
            return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The issuer the document declares: what tokens of this issuer carry in {@code iss}. */
    public Optional<String> declaredIssuer() {
        return Optional.ofNullable(document).map(d -> d.getValue("issuer")).filter(String.class::isInstance)
                .map(String.class::cast);
    }

    public Optional<String> member(String name) {
        return Optional.ofNullable(document).map(d -> d.getValue(name)).filter(String.class::isInstance)
                .map(String.class::cast);
    }

    private String list(String name) {
        Object value = document == null ? null : document.getValue(name);
        return value instanceof JsonArray array && !array.isEmpty() ? String.join(" ", array.stream().map(String::valueOf).toList())
                : "no";
    }

    /** One line for what was found, then a line for each contradiction with the settings. */
    public List<Finding> findings() {
        List<Finding> findings = new ArrayList<>();
        if (document == null) {
            findings.add(Finding.fail("discovery", problem, "ISSUER", "set ISSUER to the issuer URL whose "
                    + OPENID_CONFIGURATION + " answers (Okta: https://<org>/oauth2/default; Entra ID:"
                    + " https://login.microsoftonline.com/<tenant>/v2.0; Cognito: https://cognito-idp.<region>"
                    + ".amazonaws.com/<pool id>; Auth0: https://<tenant>.auth0.com/), and check the server is up"));
            clockFinding().ifPresent(findings::add);
            return findings;
        }
        String declared = declaredIssuer().orElse(null);
        findings.add(Finding.ok("discovery", "issuer " + quoted(declared) + ", token endpoint "
                + member("token_endpoint").orElse("none") + ", keys " + member("jwks_uri").orElse("none")
                + "; DPoP: " + list("dpop_signing_alg_values_supported")
                + "; mTLS-bound tokens: " + (Boolean.TRUE.equals(document.getValue("tls_client_certificate_bound_access_tokens"))
                        ? "yes" : "no")
                + "; registration: " + member("registration_endpoint").orElse("no")));
        if (declared == null) {
            findings.add(Finding.fail("issuer", "the document declares no issuer", "ISSUER",
                    "ISSUER must be an OpenID Connect or RFC 8414 issuer"));
        } else if (!IssuerList.withoutTrailingSlash(declared).equals(IssuerList.withoutTrailingSlash(listed))) {
            findings.add(declaredElsewhere(declared));
        }
        if (member("jwks_uri").isEmpty()) {
            findings.add(Finding.fail("keys", "the document names no jwks_uri: the service cannot verify this issuer's"
                    + " JWTs", "INTROSPECTION_CLIENT_ID", "use an issuer that publishes its keys, or let the service"
                            + " introspect tokens (INTROSPECTION_CLIENT_ID, INTROSPECTION_CLIENT_SECRET)"));
        }
        for (String name : List.of("issuer", "token_endpoint", "jwks_uri")) {
            String url = "issuer".equals(name) ? listed : member(name).orElse(null);
            if (url != null && url.startsWith("http://") && !loopback(url)) {
                findings.add(Finding.fail("https", name + " " + url + " is plain HTTP outside this machine: secrets"
                        + " and tokens would cross the network in clear", "ISSUER", "use the issuer's https:// URL"));
            }
        }
        if (oktaOrgServer()) {
            findings.add(Finding.fail("issuer", "this is an Okta org authorization server: its access tokens are for"
                    + " Okta's own APIs, not for yours", "ISSUER", "set ISSUER=" + IssuerList.withoutTrailingSlash(
                            declared) + "/oauth2/default (or your custom authorization server's issuer)"));
        }
        clockFinding().ifPresent(findings::add);
        return findings;
    }

    /**
     * The document declares another issuer than the URL it was read from. The service takes tokens carrying the
     * declared one (Quarkus checks {@code iss} against it): worth a line, a failure only where it is surely a mistake.
     */
    private Finding declaredElsewhere(String declared) {
        if (declared.startsWith("https://sts.windows.net/")) {
            // https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens#token-formats
            return Finding.note("issuer", "these are Entra ID's v1.0 endpoints: tokens carry iss " + quoted(declared)
                    + ", not " + quoted(listed), "ISSUER", "for v2.0 tokens (accessTokenAcceptedVersion 2 in the"
                            + " API's app manifest) set ISSUER=" + IssuerList.withoutTrailingSlash(listed) + "/v2.0");
        }
        return Finding.note("issuer", "the document at " + quoted(listed) + " declares issuer " + quoted(declared)
                + ": tokens must carry that one", "ISSUER", "set ISSUER=" + declared + " if that is the issuer you"
                        + " mean");
    }

    /**
     * Okta's org authorization server: its discovery document is at the org's root and its token endpoint is
     * {@code /oauth2/v1/token}; a custom authorization server has {@code /oauth2/<id>/v1/token}. Only custom servers
     * issue tokens an API can verify (https://developer.okta.com/docs/concepts/auth-servers/#org-authorization-server).
     */
    boolean oktaOrgServer() {
        String declared = declaredIssuer().orElse("");
        String token = member("token_endpoint").orElse("");
        return !declared.contains("/oauth2/")
                && token.equals(IssuerList.withoutTrailingSlash(declared) + "/oauth2/v1/token");
    }

    private Optional<Finding> clockFinding() {
        if (clockOffset == null || Math.abs(clockOffset) <= CLOCK_NOTE_SECONDS) {
            return Optional.empty();
        }
        return Optional.of(Finding.note("clock", "the issuer's clock is " + Math.abs(clockOffset) + " s "
                + (clockOffset > 0 ? "ahead of" : "behind") + " this machine's (its Date header)", null,
                "set this machine's clock right (NTP): tokens would look issued in the future or expired"));
    }

    static boolean loopback(String url) {
        String host = URI.create(url).getHost();
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")
                || host.equals("::1"));
    }

    static String quoted(String value) {
        return value == null ? "none" : "\"" + value + "\"";
    }
}
