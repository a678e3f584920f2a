package com.example.m2m.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.example.m2m.security.IssuerTenants;
import com.example.m2m.security.QuarkusOidc;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Unremovable;
import io.quarkus.oidc.common.OidcEndpoint;
import io.quarkus.oidc.common.OidcRequestFilter;
import io.quarkus.oidc.common.OidcResponseFilter;
import io.smallrye.mutiny.Uni;

/**
 * Counts the service's calls to its authorization server: key (JWKS) fetches, and their answers (a fetch with no
 * answer is a failure: {@code oidc_jwks_requests_total} minus the answers), and the caller's token requests per
 * OIDC client and status, and introspection calls per issuer and status.
 */
public class OidcTrafficMetrics {

    private OidcTrafficMetrics() {
    }

    // Unremovable: nothing injects these; Quarkus OIDC looks them up when it calls the issuer.
    @Unremovable
    @ApplicationScoped
    @OidcEndpoint(OidcEndpoint.Type.JWKS)
    public static class KeyFetches implements OidcRequestFilter, OidcResponseFilter {

        @Inject
        MeterRegistry registry;

        @Override
        public Uni<Void> filter(OidcRequestFilterContext context) {
            registry.counter("oidc.jwks.requests").increment();
            return Uni.createFrom().voidItem();
        }

        @Override
        public Uni<Void> filter(OidcResponseFilterContext context) {
            registry.counter("oidc.jwks.responses", "status", String.valueOf(context.statusCode())).increment();
            return Uni.createFrom().voidItem();
        }
    }

    @Unremovable
    @ApplicationScoped
    @OidcEndpoint(OidcEndpoint.Type.TOKEN)
    public static class TokenRequests implements OidcResponseFilter {

        @Inject
        MeterRegistry registry;

        @Override
        public Uni<Void> filter(OidcResponseFilterContext context) {
            Object client = context.requestProperties().get(QuarkusOidc.CLIENT_PROPERTY);
            registry.counter("oidc.client.token.responses", "client", client == null ? "default" : client.toString(),
                    "status", String.valueOf(context.statusCode())).increment();
            return Uni.createFrom().voidItem();
        }
    }

    /** Introspection calls (RFC 7662: opaque tokens, INTROSPECT_JWT, REVOCATION_CHECK) by issuer and status. */
    @Unremovable
    @ApplicationScoped
    @OidcEndpoint(OidcEndpoint.Type.INTROSPECTION)
    public static class Introspections implements OidcResponseFilter {

        @Inject
        MeterRegistry registry;

        @Inject
        IssuerTenants issuers;

        @Override
        public Uni<Void> filter(OidcResponseFilterContext context) {
            registry.counter("oidc.introspection.responses", "issuer",
                    issuers.urlOfTenant(QuarkusOidc.tenantOf(context.requestProperties())),
                    "status", String.valueOf(context.statusCode())).increment();
            return Uni.createFrom().voidItem();
        }
    }
}
