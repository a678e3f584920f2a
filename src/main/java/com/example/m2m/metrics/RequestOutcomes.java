package com.example.m2m.metrics;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.example.m2m.api.Endpoints;
import com.example.m2m.audit.AuditEvent;
import com.example.m2m.audit.AuditTrail;
import com.example.m2m.security.Refusals;
import com.example.m2m.security.RequestState;
import com.example.m2m.security.CallerClaims;
import com.example.m2m.security.IssuerTenantResolver;
import com.example.m2m.security.IssuerTenants;
import com.example.m2m.security.TokenFailure;
import com.example.m2m.security.flood.SourceAddress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Sees every API request when its answer is sent, and turns the outcome into the {@code api_requests_total} counter
 * (endpoint, outcome, reason class, client) and, for refusals, an audit event (aggregated per kind and interval by
 * {@link AuditTrail#refusal}). One place, after all the layers that may refuse (the authentication mechanism, the
 * failure budget, the quota, the scope checks, the resources) have spoken. Outcomes: {@code allowed},
 * {@code unauthorized}, {@code invalid_request}, {@code forbidden}, {@code throttled} (reason {@code quota} or
 * {@code token_failures}), {@code rejected}, {@code error}.
 */
@ApplicationScoped
public class RequestOutcomes {

    /** The API's endpoints; anything else is counted as {@code other} so that paths cannot create series. */
    static final Set<String> ENDPOINTS = Endpoints.paths();

    @Inject
    MeterRegistry registry;

    /** The counters by their labels; every label has a bounded set of values, so this map is bounded too. */
    private final Map<Labels, Counter> counters = new ConcurrentHashMap<>();

    private record Labels(String endpoint, String outcome, String reason, String client, String issuer) {
    }

    @Inject
    ClientLabels clients;

    @Inject
    AuditTrail audit;

    @Inject
    IssuerTenants issuers;

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(context -> {
            context.addHeadersEndHandler(ignored -> completed(context));
            context.next();
        });
    }

    void completed(RoutingContext context) {
        String path = context.normalizedPath();
        if (path.startsWith("/q/")) {
            return; // health, metrics, OpenAPI: not the API
        }
        String endpoint = ENDPOINTS.contains(path) ? path : "other";
        int status = context.response().getStatusCode();
        SecurityIdentity identity = verifiedIdentity(context);
        if (identity == null && status == 401) {
            identity = RequestState.verifiedOf(context); // verified, then refused (revoked, say): its client is known
        }
        String clientId = identity == null ? null : CallerClaims.clientId(identity);
        String issuer = issuerLabel(context, identity);
        String outcome;
        String reason;
        if (status < 400) {
            outcome = "allowed";
            reason = "none";
        } else if (status == 401 || (status == 400 && RequestState.hasFailure(context))) {
            TokenFailure failure = RequestState.failureOf(context);
            outcome = status == 400 ? "invalid_request" : "unauthorized";
            reason = failure.reason();
            if (!TokenFailure.NO_TOKEN.reason().equals(failure.reason())) {
                audit.refusal(AuditEvent.TOKEN_REFUSED, reason, SourceAddress.of(context.request()),
                        clientId == null ? AuditEvent.UNKNOWN_CLIENT : clientId, issuer,
                        context.request().method().name(), endpoint, failure.description());
            }
        } else if (status == 403) {
            outcome = "forbidden";
            reason = "insufficient_scope";
            audit.refusal(AuditEvent.SCOPE_REFUSED, reason, SourceAddress.of(context.request()),
                    clientId == null ? AuditEvent.UNKNOWN_CLIENT : clientId, issuer, context.request().method().name(),
                    endpoint, "the token lacks the scope this endpoint requires");
        } else if (status == 429 && RequestState.throttledReason(context) != null) {
            outcome = "throttled";
            reason = RequestState.throttledReason(context);
            boolean quota = "quota".equals(reason);
            audit.refusal(quota ? AuditEvent.QUOTA_EXCEEDED : AuditEvent.SOURCE_THROTTLED, reason,
                    SourceAddress.of(context.request()), clientId == null ? AuditEvent.UNKNOWN_CLIENT : clientId,
                    issuer, context.request().method().name(), endpoint,
                    quota ? "the client's quota is spent" : "the source spent its budget of failed token checks");
        } else {
            outcome = status >= 500 ? "error" : "rejected";
            reason = "status_" + status;
        }
        counters.computeIfAbsent(new Labels(endpoint, outcome, reason, clients.label(clientId), issuer), this::counter)
                .increment();
    }

    private Counter counter(Labels labels) {
        return Counter.builder("api.requests")
                .description("API requests by endpoint, outcome, reason class, client and issuer")
                .tag("endpoint", labels.endpoint())
                .tag("outcome", labels.outcome())
                .tag("reason", labels.reason())
                .tag("client", labels.client())
                .tag("issuer", labels.issuer())
                .register(registry);
    }

    private static SecurityIdentity verifiedIdentity(RoutingContext context) {
        if (context.user() instanceof QuarkusHttpUser user) {
            SecurityIdentity identity = user.getSecurityIdentity();
            if (identity != null && !identity.isAnonymous()) {
                return identity;
            }
        }
        return null;
    }

    /**
     * The issuer whose keys verified the caller's token; for a refused token the listed issuer it names, when several
     * are listed and its issuer was looked at; else unknown. Always one of the listed URLs: a bounded label.
     */
    private String issuerLabel(RoutingContext context, SecurityIdentity identity) {
        if (identity != null) {
            return issuers.label(identity);
        }
        IssuerTenants.Issuer claimed = context.get(IssuerTenantResolver.CLAIMED_ISSUER);
        return claimed == null ? IssuerTenants.UNKNOWN : claimed.url();
    }
}
