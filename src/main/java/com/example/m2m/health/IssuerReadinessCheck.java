package com.example.m2m.health;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.quarkus.oidc.runtime.TenantConfigBean;
import io.quarkus.oidc.runtime.TenantConfigContext;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * Ready while the service can verify tokens, that is while the OIDC tenant holds the issuer's metadata and keys.
 * <p>
 * Quarkus' own OIDC health check ({@code quarkus.oidc.health.enabled}) goes DOWN whenever the issuer does not answer
 * right now, which would take every pod out of service during an issuer outage although the cached keys still verify
 * tokens. This check separates the two: the status says whether tokens can be verified, the data says whether the
 * issuer is reachable now. When the tenant is not initialised yet (the issuer was down at start-up), each call tries
 * to initialise it, so readiness turns UP by itself once the issuer appears.
 * <p>
 * {@link TenantConfigBean} is Quarkus' internal handle on the OIDC tenants (the built-in check uses it too); no public
 * API says whether a tenant is initialised.
 */
@Readiness
@ApplicationScoped
public class IssuerReadinessCheck implements AsyncHealthCheck {

    static final String NAME = "oidc-issuer";

    private final TenantConfigBean tenants;
    private final WebClient webClient;
    private final Duration probeTimeout;

    @Inject
    public IssuerReadinessCheck(TenantConfigBean tenants, Vertx vertx,
            @ConfigProperty(name = "api.health.issuer-probe-timeout", defaultValue = "2S") Duration probeTimeout) {
        this.tenants = tenants;
        this.probeTimeout = probeTimeout;
        this.webClient = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) probeTimeout.toMillis())
                .setFollowRedirects(false));
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        TenantConfigContext tenant = tenants.getDefaultTenant();
        Uni<TenantConfigContext> initialised = tenant.ready()
                ? Uni.createFrom().item(tenant)
                : tenant.initialize()
                        .ifNoItem().after(probeTimeout).recoverWithItem(tenant)
                        .onFailure().recoverWithItem(tenant);
        return initialised.flatMap(ctx -> {
            boolean canVerify = ctx.ready() && ctx.getOidcMetadata() != null;
            String discovery = discoveryUrl(ctx);
            return probe(discovery).map(reachable -> {
                HealthCheckResponseBuilder builder = HealthCheckResponse.named(NAME)
                        .status(canVerify)
                        .withData("canVerifyTokens", canVerify)
                        .withData("issuerReachable", reachable);
                if (canVerify && ctx.getOidcMetadata().getIssuer() != null) {
                    builder.withData("issuer", ctx.getOidcMetadata().getIssuer());
                }
                return builder.build();
            });
        });
    }

    private static String discoveryUrl(TenantConfigContext ctx) {
        if (ctx.getOidcMetadata() != null && ctx.getOidcMetadata().getDiscoveryUri() != null) {
            return ctx.getOidcMetadata().getDiscoveryUri();
        }
        return ctx.oidcConfig().authServerUrl()
                .map(url -> (url.endsWith("/") ? url : url + "/") + ".well-known/openid-configuration")
                .orElse(null);
    }

    /** A cheap request to the issuer's discovery document; any 2xx counts as reachable. */
    private Uni<Boolean> probe(String url) {
        if (url == null) {
            return Uni.createFrom().item(false);
        }
        return webClient.requestAbs(HttpMethod.GET, url)
                .timeout(probeTimeout.toMillis())
                .send()
                .map(response -> response.statusCode() / 100 == 2)
                .onFailure().recoverWithItem(false);
    }
}
