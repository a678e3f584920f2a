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
import com.example.m2m.security.mtls.CertificateConfirmation;

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
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * The request path of every protected call, as its stages, each a method below:
 * <ol>
 * <li><b>read</b>: the token from the {@code Authorization} header, {@code Bearer} or {@code DPoP}
 * ({@link BearerHeader}); a malformed header is a 400, no token goes on unauthenticated;</li>
 * <li><b>admit</b>: a token already refused for a reason that cannot change gets the same answer for the cost of a
 * lookup ({@link RefusedTokens}); a source that spent its budget of failed checks gets a late 429
 * ({@link FailureBudget});</li>
 * <li><b>prove</b>: for {@code DPoP}, the request's proof ({@link DpopProofs}), on every request;</li>
 * <li><b>verify</b>: the identity of a token already verified ({@link VerifiedTokenCache}), or Quarkus' OIDC
 * verification in the tenant of the token's issuer ({@link IssuerTenantResolver}) with this service's rules
 * ({@code security.rules}) inside it, or introspection for an opaque token ({@code security.introspection});</li>
 * <li><b>confirm</b>, cached or fresh alike: the key binding ({@link KeyBinding}), the proof recorded for the replay
 * check only now that its token verified and is bound to its key (forged tokens never fill the replay memory), the
 * revocation check ({@link RevocationCheck}); then the identity is the request's, and the cache's.</li>
 * </ol>
 * Every refusal goes through one {@code refuse}: what it costs the caller (remembered, charged to its source, or
 * neither) is the refusal's own to say ({@link TokenFailure.Cost}); {@link Refusals} writes the answer (a 401
 * {@code invalid_token} or {@code invalid_dpop_proof} whose description says why, never quoting the token). Whatever
 * the token, the answer is never a 500: a failure Quarkus lets escape as a server error becomes a 401.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class BearerTokenMechanism implements HttpAuthenticationMechanism {

    private static final Logger LOG = Logger.getLogger(BearerTokenMechanism.class);

    /**
     * What this mechanism's own refusals fail with: one instance, since the answer is read from {@link RequestState},
     * never from the exception, and a new one per refusal cost its stack trace (a deep reactive stack walked on every
     * refused request of a flood: 1.2 KiB of the 10.5 KiB a remembered refusal allocated, bench/alloc-profile.sh).
     * {@code AuthenticationFailedException} is final, so it cannot be made without a stack trace; its attributes are
     * immutable and nothing adds suppressed exceptions to a failure handed to Quarkus.
     */
    private static final AuthenticationFailedException REFUSED = new AuthenticationFailedException(
            "The request's credentials were refused (see the answer's WWW-Authenticate)");

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

    @Inject
    CertificateConfirmation certificates;

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
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        // Quarkus' mechanism would name itself as the one to challenge; the challenge is this one's.
        context.put(HttpAuthenticationMechanism.class.getName(), this);
        Attempt attempt = read(context, identities);
        if (attempt.token() == null) {
            return withoutToken(attempt);
        }
        Uni<SecurityIdentity> turnedAway = admit(attempt);
        if (turnedAway != null) {
            return turnedAway;
        }
        // Prove: a DPoP request's proof, checked on every request, cached token or not.
        DpopProofs.Checked proof = attempt.dpop() ? proofs.check(context.request(), attempt.token()) : null;
        if (proof != null && proof.violation() != null) {
            return refuse(attempt, proof.violation().failure());
        }
        return verify(attempt, proof);
    }

    /**
     * One request's attempt to authenticate, as the stages pass it on: the header as read, the token's digest (the
     * key of every memory), when the decision started (for the timers).
     */
    private record Attempt(RoutingContext context, IdentityProviderManager identities, BearerHeader header,
            TokenDigest digest, long started) {

        String token() {
            return header.token();
        }

        boolean dpop() {
            return header.dpop();
        }

        /** A refusal of the token answers with the challenge of the scheme it came with. */
        TokenFailure answered(TokenFailure failure) {
            return failure.answeredWith(dpop() ? TokenFailure.Challenge.DPOP : TokenFailure.Challenge.BEARER);
        }
    }

    /** Read: the {@code Authorization} header ({@link BearerHeader}). */
    private static Attempt read(RoutingContext context, IdentityProviderManager identities) {
        long started = System.nanoTime();
        BearerHeader header = BearerHeader.read(context.request());
        if (header.dpop()) {
            RequestState.of(context).dpopScheme();
        }
        TokenDigest digest = header.token() == null ? null : TokenDigest.of(header.token());
        return new Attempt(context, identities, header, digest, started);
    }

    /**
     * No token: a malformed header is a 400; otherwise Quarkus' mechanism finds no credentials either, and the request
     * goes on unauthenticated (the endpoint's {@code @RolesAllowed} then asks for a token). With DPOP_REQUIRED the
     * challenge offers DPoP only.
     */
    private Uni<SecurityIdentity> withoutToken(Attempt attempt) {
        if (attempt.header().malformed() != null) {
            return refuse(attempt, attempt.header().malformed());
        }
        if (dpopRequired) {
            RequestState.of(attempt.context()).refused(TokenFailure.NO_TOKEN.answeredWith(TokenFailure.Challenge.DPOP));
        }
        return quarkusVerification(attempt, null);
    }

    /**
     * Admit: a token already refused for a reason that cannot change gets the same answer again, for the cost of a
     * lookup ({@link RefusedTokens}); a source that spent its failure budget gets a late 429 ({@link FailureBudget});
     * a Bearer token where DPoP is required is refused. Null when the request may go on. A Bearer request is asked
     * about the budget only after the cache ({@link #verify}): a throttled address's cached tokens still pass; a DPoP
     * request before its proof is checked, which costs more than a lookup.
     */
    private Uni<SecurityIdentity> admit(Attempt attempt) {
        HttpServerRequest request = attempt.context().request();
        TokenFailure refusedBefore = refusedTokens.refusalOf(attempt.digest());
        if (refusedBefore != null || attempt.dpop()) {
            long throttled = failureBudget.throttledFor(request);
            if (throttled > 0) {
                return throttle(attempt, throttled);
            }
        }
        if (refusedBefore != null) {
            return refuse(attempt, attempt.answered(refusedBefore), rememberedTimer, null);
        }
        return !attempt.dpop() && dpopRequired ? refuse(attempt, ProofViolation.DPOP_REQUIRED.failure()) : null;
    }

    /**
     * Verify: the identity of a token already verified ({@link VerifiedTokenCache}), or Quarkus' OIDC verification in
     * the tenant of the token's issuer ({@link IssuerTenantResolver}); then {@link #confirm}. {@code proof} is the
     * request's checked DPoP proof, or null.
     */
    private Uni<SecurityIdentity> verify(Attempt attempt, DpopProofs.Checked proof) {
        SecurityIdentity cached = verifiedTokens.get(attempt.token(), attempt.digest(), attempt.context());
        if (cached != null) {
            return confirm(attempt, cached, proof, false);
        }
        if (!attempt.dpop()) {
            long throttled = failureBudget.throttledFor(attempt.context().request());
            if (throttled > 0) {
                return throttle(attempt, throttled);
            }
        }
        // Not before the cache: an entry's token passed this check, and every other one, when it was verified.
        BearerHeader checked = attempt.header().withCheckedCharacters();
        if (checked.malformed() != null) {
            return refuse(attempt, checked.malformed());
        }
        return quarkusVerification(attempt, proof);
    }

    /**
     * Quarkus' OIDC mechanism on this request (the challenge stays this mechanism's): a verified token goes on to
     * {@link #confirm}; no token, on unauthenticated; a failure is refused as {@link #refusalOf} reads it.
     */
    private Uni<SecurityIdentity> quarkusVerification(Attempt attempt, DpopProofs.Checked proof) {
        RoutingContext context = attempt.context();
        return Uni.createFrom().deferred(() -> oidc.authenticate(context, attempt.identities()))
                .onItemOrFailure().transformToUni((identity, failure) -> {
                    context.put(HttpAuthenticationMechanism.class.getName(), this);
                    if (failure != null) {
                        return refusedByQuarkus(attempt, failure);
                    }
                    return identity == null || attempt.token() == null ? Uni.createFrom().item(identity)
                            : confirm(attempt, identity, proof, true);
                });
    }

    /** Quarkus' verification failed: remembered when the refusal says it may be ({@link TokenFailure.Cost}). */
    private Uni<SecurityIdentity> refusedByQuarkus(Attempt attempt, Throwable failure) {
        if (attempt.token() == null) {
            return refuse(attempt, TokenFailure.of(failure), null, failure);
        }
        TokenFailure refusal = attempt.answered(refusalOf(attempt, failure));
        refusedTokens.remember(attempt.digest(), refusal);
        return refuse(attempt, refusal, invalidTimer, failure);
    }

    /**
     * What Quarkus' failed verification means for the caller ({@link TokenFailure#of}, or for an introspected token
     * {@link TokenFailure#ofIntrospection}); a failure that decided nothing while the token's issuer cannot be used is
     * that issuer's outage, not the token's fault.
     */
    private TokenFailure refusalOf(Attempt attempt, Throwable failure) {
        TokenFailure refusal = issuers.introspected(attempt.token()) ? TokenFailure.ofIntrospection(failure)
                : TokenFailure.of(failure);
        IssuerTenants.Issuer claimed = attempt.context().get(IssuerTenantResolver.CLAIMED_ISSUER);
        return !refusal.cost().charged() && !issuers.usable(claimed) ? TokenFailure.ISSUER_UNAVAILABLE : refusal;
    }

    /**
     * Confirm, for a verified token found in the cache or just verified ({@code fresh}): the key binding
     * ({@link KeyBinding}), then the DPoP proof recorded for the replay check (only now, so that a request with a
     * forged token cannot fill the replay memory: {@link DpopProofs#record}, and with {@code REDIS_URL}
     * {@link SharedReplays}), then the revocation check; then the identity is the request's (and, fresh, the cache's).
     */
    private Uni<SecurityIdentity> confirm(Attempt attempt, SecurityIdentity identity, DpopProofs.Checked proof,
            boolean fresh) {
        RequestState.of(attempt.context()).verified(identity); // a refusal from here on names the verified client
        ProofViolation violation = KeyBinding.check(attempt.dpop(),
                identity.getAttribute(KeyBindingAugmentor.BOUND_KEY),
                proof == null ? null : proof.keyThumbprint(), dpopRequired);
        if (violation == null && proof != null) {
            violation = proofs.record(proof);
        }
        if (violation != null) {
            return refuse(attempt, violation.failure());
        }
        TokenFailure certificate = certificates.check(attempt.context().request(), identity); // RFC 8705
        if (certificate != null) {
            return refuse(attempt, certificate);
        }
        if (proof == null || !sharedReplays.shared()) {
            return checkRevocation(attempt, identity, fresh);
        }
        // This pod had not seen the proof; nor may another pod have (REDIS_URL).
        return sharedReplays.firstUse(proof.replayKey(), proof.acceptedUntilMillis(), System.currentTimeMillis())
                .onItem().transformToUni(first -> first ? checkRevocation(attempt, identity, fresh)
                        : refuse(attempt, ProofViolation.REPLAYED.failure()));
    }

    /**
     * REVOCATION_CHECK, when on; then the identity is accepted. A token the issuer says is no longer active leaves the
     * verified-token cache and is remembered as refused (it never becomes active again).
     */
    private Uni<SecurityIdentity> checkRevocation(Attempt attempt, SecurityIdentity identity, boolean fresh) {
        Uni<TokenFailure> revocation = revocationCheck.check(attempt.token(), attempt.digest(), identity);
        if (revocation == null) {
            return accept(attempt, identity, fresh);
        }
        return revocation.onItem().transformToUni(failure -> {
            if (failure == null) {
                return accept(attempt, identity, fresh);
            }
            verifiedTokens.forget(attempt.digest());
            refusedTokens.remember(attempt.digest(), failure);
            return refuse(attempt, attempt.answered(failure));
        });
    }

    /** A verified token this request was allowed to use: the cache holds what was accepted. */
    private Uni<SecurityIdentity> accept(Attempt attempt, SecurityIdentity identity, boolean fresh) {
        long took = System.nanoTime() - attempt.started();
        if (fresh) {
            verifiedTokens.put(attempt.token(), identity);
            validTimer.record(took, TimeUnit.NANOSECONDS);
        } else {
            cachedTimer.record(took, TimeUnit.NANOSECONDS);
        }
        return Uni.createFrom().item(identity);
    }

    private Uni<SecurityIdentity> refuse(Attempt attempt, TokenFailure refusal) {
        return refuse(attempt, refusal, invalidTimer, null);
    }


    /**
     * Every refusal of a request, whatever stage decided it: charged to its source if the refusal says so
     * ({@link TokenFailure.Cost}), timed, recorded for the answer ({@link Refusals} writes it). {@code timer} null
     * when the caller timed it already; {@code cause} Quarkus' own failure, when it decided.
     */
    private Uni<SecurityIdentity> refuse(Attempt attempt, TokenFailure refusal, Timer timer, Throwable cause) {
        failureBudget.charge(attempt.context().request(), refusal);
        if (timer != null) {
            timer.record(System.nanoTime() - attempt.started(), TimeUnit.NANOSECONDS);
        }
        RequestState.of(attempt.context()).refused(refusal);
        // The reason only: exception messages may quote the token's claims.
        LOG.debugf("Token refused: %s", refusal.description());
        return Uni.createFrom().failure(cause instanceof AuthenticationFailedException quarkus ? quarkus : REFUSED);
    }

    /**
     * The source has spent its budget of failed checks: a 429 for as long as its window lasts, answered late
     * ({@link FailureBudget#refuseLate}), so that a flood on open connections slows down to the pace of the delay.
     */
    private Uni<SecurityIdentity> throttle(Attempt attempt, long retryAfterSeconds) {
        throttledTimer.record(System.nanoTime() - attempt.started(), TimeUnit.NANOSECONDS);
        RequestState state = RequestState.of(attempt.context());
        state.refused(TokenFailure.SOURCE_THROTTLED);
        state.throttled(TokenFailure.SOURCE_THROTTLED.reason(), retryAfterSeconds);
        return failureBudget.refuseLate(REFUSED);
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
