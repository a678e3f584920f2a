package com.example.m2m.security;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.oidc.runtime.OidcAuthenticationMechanism;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Quarkus' OIDC bearer-token mechanism, with the answers RFC 6750 asks for. All token verification stays Quarkus'.
 * <ul>
 * <li>A malformed {@code Authorization} header (two of them, empty or non-token Bearer credentials) is a 400
 * {@code invalid_request}, before any verification.</li>
 * <li>The scheme is matched case-insensitively (RFC 9110 11.1); Quarkus only finds {@code Bearer} as written.</li>
 * <li>A token that fails verification is a 401 {@code invalid_token} whose {@code error_description} says why
 * (expired, wrong issuer, ...), never quoting the token; no token at all is a 401 without an error code.</li>
 * <li>Every challenge carries {@code realm} and the RFC 9728 {@code resource_metadata} URL, and a problem+json body
 * (RFC 9457) that says the same.</li>
 * <li>Whatever the token, the answer is never a 500: Quarkus 3.33 lets some failures escape as server errors (a token
 * without two dots fails in its opaque-token check with a {@code NoSuchElementException}); they become a 401.</li>
 * </ul>
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class BearerTokenMechanism implements HttpAuthenticationMechanism {

    private static final Logger LOG = Logger.getLogger(BearerTokenMechanism.class);

    /** Where {@link #authenticate} leaves the reason for {@link #sendChallenge}. */
    public static final String FAILURE = BearerTokenMechanism.class.getName() + ".failure";

    private static final HttpCredentialTransport BEARER_TRANSPORT = new HttpCredentialTransport(
            HttpCredentialTransport.Type.AUTHORIZATION, "bearer");

    @Inject
    OidcAuthenticationMechanism oidc;

    @Inject
    VerifiedTokenCache verifiedTokens;

    private final Timer validTimer;
    private final Timer invalidTimer;
    private final Timer cachedTimer;

    @Inject
    BearerTokenMechanism(MeterRegistry registry) {
        validTimer = verificationTimer(registry, "valid");
        invalidTimer = verificationTimer(registry, "invalid");
        cachedTimer = verificationTimer(registry, "cached");
    }

    /** How long deciding on a token took: verified (valid), refused (invalid), or found already verified (cached). */
    private static Timer verificationTimer(MeterRegistry registry, String outcome) {
        return Timer.builder("api.token.verification").tag("outcome", outcome).register(registry);
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        long started = System.nanoTime();
        BearerHeader header = readAuthorizationHeader(context.request());
        TokenFailure malformed = header.failure();
        String token = header.token();
        // Quarkus' mechanism would name itself as the one to challenge; the challenge is this one's.
        context.put(HttpAuthenticationMechanism.class.getName(), this);
        if (token != null) {
            // Before the character check: a token found here passed it, and every other check, when first verified.
            SecurityIdentity cached = verifiedTokens.get(token, context);
            if (cached != null) {
                cachedTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                return Uni.createFrom().item(cached);
            }
            if (!isB64Token(token)) {
                malformed = TokenFailure.invalidRequest("The Bearer credentials are not a token (RFC 6750 b64token)");
            }
        }
        if (malformed != null) {
            context.put(FAILURE, malformed);
            return Uni.createFrom().failure(new AuthenticationFailedException(malformed.description()));
        }
        return Uni.createFrom().deferred(() -> oidc.authenticate(context, identityProviderManager))
                .onItemOrFailure().invoke((identity, failure) -> {
                    context.put(HttpAuthenticationMechanism.class.getName(), this);
                    if (token != null) {
                        (failure == null ? validTimer : invalidTimer).record(System.nanoTime() - started,
                                TimeUnit.NANOSECONDS);
                        if (failure == null) {
                            verifiedTokens.put(token, identity);
                        }
                    }
                })
                .onFailure().transform(failure -> {
                    TokenFailure reason = TokenFailure.of(failure);
                    context.put(FAILURE, reason);
                    // The reason only: exception messages may quote the token's claims.
                    LOG.debugf("Bearer token refused: %s", reason.description());
                    return failure instanceof AuthenticationFailedException authFailure ? authFailure
                            : new AuthenticationFailedException(reason.description());
                });
    }

    /** What the {@code Authorization} header holds: a bearer token, nothing (null, null), or why it is malformed. */
    private record BearerHeader(String token, TokenFailure failure) {
        static final BearerHeader NONE = new BearerHeader(null, null);
    }


    /**
     * Reads the header: its token, or why it is malformed (but for the token's characters, see {@link #isB64Token});
     * normalises the scheme's case for Quarkus.
     */
    private static BearerHeader readAuthorizationHeader(HttpServerRequest request) {
        List<String> values = request.headers().getAll(HttpHeaders.AUTHORIZATION);
        if (values.size() > 1) {
            return new BearerHeader(null, TokenFailure.invalidRequest("Send exactly one Authorization header"));
        }
        if (values.isEmpty()) {
            return BearerHeader.NONE;
        }
        String value = values.get(0);
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        if (!"bearer".equalsIgnoreCase(scheme)) {
            return BearerHeader.NONE; // another scheme: no bearer token, so an unauthenticated request
        }
        String token = space < 0 ? "" : value.substring(space + 1).strip();
        if (token.isEmpty()) {
            return new BearerHeader(null, TokenFailure.invalidRequest("The Bearer credentials are empty"));
        }
        if (!scheme.equals("Bearer") || space + 1 + token.length() != value.length()) {
            request.headers().set(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        return new BearerHeader(token, null);
    }

    /**
     * RFC 6750 2.1: {@code b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}. A loop, not a
     * regular expression: it runs on every request.
     */
    static boolean isB64Token(String token) {
        int end = token.length();
        while (end > 0 && token.charAt(end - 1) == '=') {
            end--;
        }
        if (end == 0) {
            return false;
        }
        for (int i = 0; i < end; i++) {
            char c = token.charAt(i);
            boolean allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        if (!context.response().ended()) {
            writeRefusal(context, failureOf(context));
        }
        return Uni.createFrom().item(true);
    }

    /** Writes a 400/401 refusal: the RFC 6750 challenge and the RFC 9457 body that says the same. */
    static void writeRefusal(RoutingContext context, TokenFailure failure) {
        context.response()
                .setStatusCode(failure.status())
                .putHeader("WWW-Authenticate", challengeHeader(context, failure))
                .putHeader(HttpHeaders.CONTENT_TYPE, BearerChallenge.PROBLEM_JSON)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(BearerChallenge.problem(failure.status(), failure.title(), failure.description(), failure.error())
                        .encode());
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        TokenFailure failure = failureOf(context);
        return Uni.createFrom().item(new ChallengeData(failure.status(), "WWW-Authenticate",
                challengeHeader(context, failure)));
    }

    /** The reason {@link #authenticate} recorded for this request, or {@link TokenFailure#NO_TOKEN}. */
    public static TokenFailure failureOf(RoutingContext context) {
        TokenFailure failure = context.get(FAILURE);
        return failure == null ? TokenFailure.NO_TOKEN : failure;
    }

    public static String challengeHeader(RoutingContext context, TokenFailure failure) {
        return BearerChallenge.header(failure.error(), failure.description(), null,
                BearerChallenge.resourceMetadataUrl(context.request()));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return oidc.getCredentialTypes();
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(BEARER_TRANSPORT);
    }

    @Override
    public int getPriority() {
        // Ahead of Quarkus' own OIDC mechanism, which stays registered beside this one.
        return oidc.getPriority() + 1;
    }
}
