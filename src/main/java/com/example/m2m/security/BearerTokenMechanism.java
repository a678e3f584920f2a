package com.example.m2m.security;

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
import io.vertx.ext.web.RoutingContext;

/**
 * The request path of every protected call, in the order it runs:
 * <ol>
 * <li>{@link BearerHeader}: the token from the {@code Authorization} header, or a 400 for a malformed header;</li>
 * <li>{@link VerifiedTokenCache}: the identity of a token already verified, if it is there;</li>
 * <li>otherwise Quarkus' OIDC verification (signature with the issuer's keys, {@code iss}, {@code aud}, {@code exp},
 * {@code nbf}, {@code iat} present), which runs this service's rules ({@code security.rules}) inside it, then stores
 * the identity in the cache;</li>
 * <li>{@link Refusals}: a refusal becomes a 401 {@code invalid_token} whose description says why
 * ({@link TokenFailure}, never quoting the token), or a 401 without an error code when no token was sent.</li>
 * </ol>
 * Whatever the token, the answer is never a 500: a failure Quarkus lets escape as a server error becomes a 401.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class BearerTokenMechanism implements HttpAuthenticationMechanism {

    private static final Logger LOG = Logger.getLogger(BearerTokenMechanism.class);

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
        // Quarkus' mechanism would name itself as the one to challenge; the challenge is this one's.
        context.put(HttpAuthenticationMechanism.class.getName(), this);
        BearerHeader bearer = BearerHeader.read(context.request());
        String token = bearer.token();
        if (token != null) {
            SecurityIdentity cached = verifiedTokens.get(token, context);
            if (cached != null) {
                cachedTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                return Uni.createFrom().item(cached);
            }
            // Not before the cache: an entry's token passed this check, and every other one, when it was verified.
            bearer = bearer.withCheckedCharacters();
        }
        if (bearer.malformed() != null) {
            Refusals.record(context, bearer.malformed());
            return Uni.createFrom().failure(new AuthenticationFailedException(bearer.malformed().description()));
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
                    Refusals.record(context, reason);
                    // The reason only: exception messages may quote the token's claims.
                    LOG.debugf("Bearer token refused: %s", reason.description());
                    return failure instanceof AuthenticationFailedException authFailure ? authFailure
                            : new AuthenticationFailedException(reason.description());
                });
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        if (!context.response().ended()) {
            Refusals.write(context, Refusals.failureOf(context));
        }
        return Uni.createFrom().item(true);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        TokenFailure failure = Refusals.failureOf(context);
        return Uni.createFrom().item(new ChallengeData(failure.status(), "WWW-Authenticate",
                Refusals.challenge(context.request(), failure)));
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
