package com.example.m2m.quota;

import com.example.m2m.limits.Rate;
import com.example.m2m.limits.WindowCounters;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.example.m2m.security.CallerClaims;
import com.example.m2m.security.IssuerTenants;
import com.example.m2m.security.Refusals;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.quarkus.vertx.http.runtime.security.SecurityHandlerPriorities;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Holds each verified client to its quota ({@link QuotaPolicies}): counted once the caller is authenticated and before
 * any resource runs (a Vert.x route between Quarkus' authentication and authorization handlers and the REST layer),
 * so that a refused request costs a counter increment. Every answer to a client with a quota carries the
 * {@code RateLimit-Policy} and {@code RateLimit} headers (draft-ietf-httpapi-ratelimit-headers), so that clients can
 * pace themselves; over the quota the answer is a 429 with {@code Retry-After} (whole seconds, never 0) and a problem
 * body ({@link Refusals#tooManyRequests}). The metrics and the audit trail see it as outcome {@code throttled},
 * reason {@code quota} ({@code metrics.RequestOutcomes}). The counts are this pod's, or shared by every pod through
 * Redis ({@link QuotaStore}).
 * <p>
 * Requests without a verified caller (no token, a refused one) are not counted here: they never reach this route,
 * and the failure budget ({@code security.flood}) is what bounds them.
 */
@ApplicationScoped
public class QuotaHandler {

    private static final Logger LOG = Logger.getLogger(QuotaHandler.class);

    /** After Quarkus' authentication (-200) and HTTP permission (-100) handlers, before the REST layer. */
    static final int ORDER = -SecurityHandlerPriorities.AUTHORIZATION + 1;

    /** Clients counted at once (see {@link WindowCounters} for what happens past that). */
    static final long MAX_CLIENTS = 100_000;

    @Inject
    IssuerTenants issuers;

    @Inject
    QuotaPolicies policies;

    @Inject
    QuotaStore store;

    @ConfigProperty(name = "api.quota.default", defaultValue = Rate.OFF)
    String defaultRate;

    void register(@Observes Router router) {
        if (policies.any()) {
            router.route().order(ORDER).handler(this::check);
            LOG.infof("Quotas per client are on (RATE_LIMIT=%s), %s", defaultRate,
                    store.shared() ? "shared by the pods through Redis (REDIS_URL)" : "counted in each pod");
        }
    }

    void check(RoutingContext context) {
        SecurityIdentity identity = context.user() instanceof QuarkusHttpUser user ? user.getSecurityIdentity() : null;
        if (identity == null || identity.isAnonymous() || context.normalizedPath().startsWith("/q/")) {
            context.next();
            return;
        }
        String clientId = CallerClaims.clientId(identity);
        QuotaPolicy policy = policies.policyFor(clientId, identity.getRoles());
        if (policy == null) {
            context.next();
            return;
        }
        // Without a client id claim, the token's subject is the caller (as /api/whoami shows it).
        String counted = clientId != null ? "client:" + clientId : "sub:" + identity.getPrincipal().getName();
        if (issuers.several()) {
            // A client id is unique at its issuer only: two issuers' "batch" are two clients, with a quota each.
            counted = IssuerTenants.tenantOf(identity) + ":" + counted;
        }
        if (!store.shared()) {
            answer(context, policy, store.countInPod(counted, policy.rate())); // no Uni on the per-pod path
            return;
        }
        store.count(counted, policy.rate()).subscribe().with(count -> answer(context, policy, count), context::fail);
    }

    private static void answer(RoutingContext context, QuotaPolicy policy, WindowCounters.Count count) {
        context.response()
                .putHeader("RateLimit-Policy", policy.policyHeader())
                .putHeader("RateLimit", policy.currentHeader(count));
        if (count.over()) {
            Refusals.tooManyRequests(context, "quota", count.resetSeconds(),
                    "This client's quota of " + policy.rate().limit() + " requests per " + policy.rate().windowSeconds()
                            + " s is spent; it resets in " + count.resetSeconds() + " s");
            return;
        }
        context.next();
    }
}
