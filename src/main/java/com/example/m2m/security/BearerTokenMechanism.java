package com.example.m2m.security;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.example.m2m.security.dpop.DpopProofs;
import com.example.m2m.security.dpop.KeyBinding;
import com.example.m2m.security.dpop.ProofViolation;
import com.example.m2m.security.dpop.SharedReplays;
import com.example.m2m.security.flood.FailureBudget;
import com.example.m2m.security.flood.RefusedTokens;
import com.example.m2m.security.introspection.RevocationCheck;

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
 * <li>{@link BearerHeader}: the token from the {@code Authorization} header ({@code Bearer} or {@code DPoP}), or a
 * 400 for a malformed header;</li>
 * <li>{@link RefusedTokens}: a token already refused for a reason that cannot change gets the same answer again
 * (charged to its source's failure budget, below);</li>
 * <li>for {@code DPoP}: {@link DpopProofs}, the request's proof (on every request, cached token or not), and whether
 * this pod recorded it already;</li>
 * <li>{@link VerifiedTokenCache}: the identity of a token already verified, if it is there;</li>
 * <li>{@link FailureBudget}: a source that sent too many bad tokens gets a late 429 instead of another check (a proof
 * check or a verification) or a remembered refusal; every refusal of a token is charged to its source;</li>
 * <li>otherwise Quarkus' OIDC verification in the tenant of the token's issuer ({@link IssuerTenantResolver}):
 * signature with that issuer's keys, {@code iss}, {@code aud}, {@code exp}, {@code nbf}, {@code iat} present, with
 * this service's rules ({@code security.rules}) inside it; or, for an opaque token (or every token with
 * INTROSPECT_JWT), introspection at the issuer ({@code security.introspection}); then stores the identity in the
 * cache (a verified JWT's; an introspected token's for as long as its answer holds);</li>
 * <li>{@link KeyBinding}: a token bound to a key only with a proof by that key, an unbound one only as Bearer;</li>
 * <li>for {@code DPoP}: the proof recorded for the replay check ({@link DpopProofs#record}, and with
 * {@code REDIS_URL} {@link SharedReplays}, whether another pod saw it), only now that its token verified and is bound
 * to its key: requests with forged tokens never fill the replay memory;</li>
 * <li>{@link RevocationCheck} (REVOCATION_CHECK): a verified token, cached or not, was active at its issuer within
 * the configured time;</li>
 * <li>{@link Refusals}: a refusal becomes a 401 {@code invalid_token} or {@code invalid_dpop_proof} whose description
 * says why ({@link TokenFailure}, never quoting the token), or a 401 without an error code when no token was
 * sent.</li>
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

    @Inject
    DpopProofs proofs;

    @Inject
    RefusedTokens refusedTokens;

    @Inject
    FailureBudget failureBudget;

    @Inject
    SharedReplays sharedReplays;

    @Inject
    IssuerTenants issuers;

    @Inject
    RevocationCheck revocationCheck;

    /** DPOP_REQUIRED: a token sent as Bearer is refused, bound or not. */
    @ConfigProperty(name = "api.dpop.required")
    boolean dpopRequired;

    private final Timer validTimer;
    private final Timer invalidTimer;
    private final Timer cachedTimer;
    private final Timer rememberedTimer;
    private final Timer throttledTimer;

    @Inject
    BearerTokenMechanism(MeterRegistry registry) {
        validTimer = verificationTimer(registry, "valid");
        invalidTimer = verificationTimer(registry, "invalid");
        cachedTimer = verificationTimer(registry, "cached");
        rememberedTimer = verificationTimer(registry, "refused_before");
        throttledTimer = verificationTimer(registry, "throttled");
    }

    /**
     * How long deciding on a token took: verified (valid), refused (invalid), found already verified (cached), found
     * already refused (refused_before), or not looked at because its source spent its failure budget (throttled).
     */
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
        boolean dpop = bearer.dpop();
        if (dpop) {
            RequestState.of(context).dpopScheme();
        }
        if (token == null) {
            if (bearer.malformed() == null && dpopRequired) {
                // No token: the challenge offers DPoP only.
                RequestState.of(context).refused(TokenFailure.NO_TOKEN.answeredWith(TokenFailure.Challenge.DPOP));
            }
            return verify(context, identityProviderManager, bearer, null, null, started);
        }
        TokenDigest digest = TokenDigest.of(token);
        TokenFailure refusedBefore = refusedTokens.refusalOf(digest);
        if (refusedBefore != null) {
            // The same answer as the first time, for the cost of a lookup (security.flood.RefusedTokens), unless
            // this address has sent too many bad tokens: then a late 429.
            failureBudget.charge(context.request(), refusedBefore);
            long throttled = failureBudget.throttledFor(context.request());
            if (throttled > 0) {
                return throttle(context, throttled, started);
            }
            rememberedTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            return refusal(context, refusedBefore.answeredWith(
                    dpop ? TokenFailure.Challenge.DPOP : TokenFailure.Challenge.BEARER));
        }
        if (!dpop) {
            if (dpopRequired) {
                return refuse(context, ProofViolation.DPOP_REQUIRED.failure(), started);
            }
            return verify(context, identityProviderManager, bearer, digest, null, started);
        }
        long throttled = failureBudget.throttledFor(context.request());
        if (throttled > 0) {
            return throttle(context, throttled, started);
        }
        DpopProofs.Checked proof = proofs.check(context.request(), token);
        if (proof.violation() != null) {
            return refuse(context, proof.violation().failure(), started);
        }
        return verify(context, identityProviderManager, bearer, digest, proof, started);
    }

    /**
     * The token's verification, once its proof (if any) passed its checks: the verified-token cache, the failure
     * budget, then Quarkus' verification; then {@link #confirm}. {@code proof} is the request's DPoP proof, or null.
     */
    private Uni<SecurityIdentity> verify(RoutingContext context, IdentityProviderManager identityProviderManager,
            BearerHeader header, TokenDigest digest, DpopProofs.Checked proof, long started) {
        String token = header.token();
        boolean dpop = header.dpop();
        BearerHeader bearer = header;
        if (token != null) {
            SecurityIdentity cached = verifiedTokens.get(token, digest, context);
            if (cached != null) {
                return confirm(context, token, digest, cached, proof, dpop, false, started);
            }
            long throttled = dpop ? 0 : failureBudget.throttledFor(context.request()); // DPoP: asked before the proof
            if (throttled > 0) {
                return throttle(context, throttled, started);
            }
            // Not before the cache: an entry's token passed this check, and every other one, when it was verified.
            bearer = bearer.withCheckedCharacters();
        }
        if (bearer.malformed() != null) {
            RequestState.of(context).refused(bearer.malformed());
            return Uni.createFrom().failure(new AuthenticationFailedException(bearer.malformed().description()));
        }
        return Uni.createFrom().deferred(() -> oidc.authenticate(context, identityProviderManager))
                .onItemOrFailure().invoke((identity, failure) -> context.put(
                        HttpAuthenticationMechanism.class.getName(), this))
                .onFailure().transform(failure -> {
                    if (token != null) {
                        invalidTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                    }
                    TokenFailure reason = token != null && issuers.introspected(token)
                            ? TokenFailure.ofIntrospection(failure)
                            : TokenFailure.of(failure);
                    IssuerTenants.Issuer claimed = context.get(IssuerTenantResolver.CLAIMED_ISSUER);
                    if (token != null && !reason.cost().charged() && !issuers.usable(claimed)) {
                        // Not the token's fault (it used to read "malformed"): its issuer cannot be used now.
                        reason = TokenFailure.ISSUER_UNAVAILABLE;
                    }
                    reason = reason.answeredWith(dpop ? TokenFailure.Challenge.DPOP : TokenFailure.Challenge.BEARER);
                    if (token != null) {
                        // What the refusal costs its sender is the refusal's to say (TokenFailure.Cost).
                        failureBudget.charge(context.request(), reason);
                        refusedTokens.remember(digest, reason);
                    }
                    RequestState.of(context).refused(reason);
                    // The reason only: exception messages may quote the token's claims.
                    LOG.debugf("Token refused: %s", reason.description());
                    return failure instanceof AuthenticationFailedException authFailure ? authFailure
                            : new AuthenticationFailedException(reason.description());
                })
                .onItem().transformToUni(identity -> identity == null || token == null
                        ? Uni.createFrom().item(identity)
                        : confirm(context, token, digest, identity, proof, dpop, true, started));
    }

    /**
     * What follows a verified token, found in the cache or just verified ({@code fresh}): the key binding, then the
     * DPoP proof recorded for the replay check (only now, so that a request with a forged token cannot fill the
     * replay memory: {@link DpopProofs#record}, and with {@code REDIS_URL} {@link SharedReplays}), then the
     * revocation check; then the identity is the request's (and, fresh, the cache's).
     */
    private Uni<SecurityIdentity> confirm(RoutingContext context, String token, TokenDigest digest,
            SecurityIdentity identity, DpopProofs.Checked proof, boolean dpop, boolean fresh, long started) {
        RequestState.of(context).verified(identity); // a refusal from here on names the verified client and issuer
        ProofViolation binding = KeyBinding.check(dpop, identity.getAttribute(KeyBindingAugmentor.BOUND_KEY),
                proof == null ? null : proof.keyThumbprint(), dpopRequired);
        if (binding != null) {
            return refuse(context, binding.failure(), started);
        }
        if (proof == null) {
            return checkRevocation(context, token, digest, identity, dpop, fresh, started);
        }
        ProofViolation used = proofs.record(proof);
        if (used != null) {
            return refuse(context, used.failure(), started);
        }
        if (!sharedReplays.shared()) {
            return checkRevocation(context, token, digest, identity, dpop, fresh, started);
        }
        // This pod had not seen the proof; nor may another pod have (REDIS_URL).
        return sharedReplays.firstUse(proof.replayKey(), proof.acceptedUntilMillis(), System.currentTimeMillis())
                .onItem().transformToUni(first -> {
                    if (first) {
                        return checkRevocation(context, token, digest, identity, dpop, fresh, started);
                    }
                    return refuse(context, ProofViolation.REPLAYED.failure(), started);
                });
    }

    /** REVOCATION_CHECK, when on; then the identity is accepted. */
    private Uni<SecurityIdentity> checkRevocation(RoutingContext context, String token, TokenDigest digest,
            SecurityIdentity identity, boolean dpop, boolean fresh, long started) {
        Uni<TokenFailure> revocation = revocationCheck.check(token, digest, identity);
        if (revocation == null) {
            return accepted(token, identity, fresh, started);
        }
        return revocation.onItem().transformToUni(failure -> failure == null
                ? accepted(token, identity, fresh, started)
                : revoked(context, digest, failure, dpop, started));
    }

    /** A verified token this request was allowed to use: the cache holds what was accepted. */
    private Uni<SecurityIdentity> accepted(String token, SecurityIdentity identity, boolean fresh, long started) {
        if (fresh) {
            verifiedTokens.put(token, identity);
            validTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        } else {
            cachedTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
        return Uni.createFrom().item(identity);
    }

    /**
     * REVOCATION_CHECK: the issuer says the verified token is no longer active, or cannot be asked. A token that is not
     * active leaves the verified-token cache and is remembered as refused (it never becomes active again).
     */
    private Uni<SecurityIdentity> revoked(RoutingContext context, TokenDigest digest, TokenFailure failure,
            boolean dpop, long started) {
        verifiedTokens.forget(digest);
        refusedTokens.remember(digest, failure);
        return refuse(context, failure.answeredWith(dpop ? TokenFailure.Challenge.DPOP : TokenFailure.Challenge.BEARER),
                started);
    }

    /**
     * A refusal decided here, not by Quarkus' verification: charged to its source if it says so, recorded for the
     * answer, timed as invalid.
     */
    private Uni<SecurityIdentity> refuse(RoutingContext context, TokenFailure failure, long started) {
        failureBudget.charge(context.request(), failure);
        invalidTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        return refusal(context, failure);
    }

    /**
     * The source has spent its budget of failed checks: a 429 for as long as its window lasts, answered late
     * ({@link FailureBudget#refuseLate}), so that a flood on open connections slows down to the pace of the delay.
     */
    private Uni<SecurityIdentity> throttle(RoutingContext context, long retryAfterSeconds, long started) {
        throttledTimer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        RequestState state = RequestState.of(context);
        state.refused(TokenFailure.SOURCE_THROTTLED);
        state.throttled(TokenFailure.SOURCE_THROTTLED.reason(), retryAfterSeconds);
        return failureBudget.refuseLate(new AuthenticationFailedException(TokenFailure.SOURCE_THROTTLED.description()));
    }

    private static Uni<SecurityIdentity> refusal(RoutingContext context, TokenFailure failure) {
        RequestState.of(context).refused(failure);
        LOG.debugf("Token refused: %s", failure.description());
        return Uni.createFrom().failure(new AuthenticationFailedException(failure.description()));
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        if (!context.response().ended()) {
            Refusals.write(context, RequestState.failureOf(context));
        }
        return Uni.createFrom().item(true);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        TokenFailure failure = RequestState.failureOf(context);
        if (failure.status() == 429) {
            return Uni.createFrom().item(new ChallengeData(429, "Retry-After",
                    Long.toString(RequestState.retryAfterOf(context))));
        }
        // One header value: both challenges, comma-separated (RFC 9110 section 11.6.1), when both are offered.
        return Uni.createFrom().item(new ChallengeData(failure.status(), "WWW-Authenticate",
                String.join(", ", Refusals.challenges(context.request(), failure))));
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
