package com.example.m2m.health;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import com.example.m2m.client.CallCommand;

import io.quarkus.oidc.runtime.TenantConfigBean;
import io.quarkus.runtime.StartupEvent;
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
 * The data always name the issuer the service waits for, and what it answered ({@code issuerAnswer}: {@code HTTP 200},
 * {@code HTTP 404}, {@code connection refused}, ...): an issuer that answers 404 is there but not at that URL. The log
 * says so once when the issuer stops answering (or answers wrongly) and once when it is back, not at every probe;
 * Quarkus' own per-attempt warnings are turned down in application.properties for that reason.
 * <p>
 * {@link TenantConfigBean} is Quarkus' internal handle on the OIDC tenants (the built-in check uses it too); no public
 * API says whether a tenant is initialised.
 */
@Readiness
@ApplicationScoped
public class IssuerReadinessCheck implements AsyncHealthCheck {

    static final String NAME = "oidc-issuer";

    private static final Logger LOG = Logger.getLogger(IssuerReadinessCheck.class);

    /** What a probe of the issuer's discovery document got: 2xx or not, and in a few words. */
    record Answer(boolean reachable, String text) {
    }

    /** The last answer the log reported: a changed answer is logged, a repeated one is not. */
    private final AtomicReference<String> lastLogged = new AtomicReference<>("HTTP 200");

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

    /**
     * Once at start-up, so that an issuer that cannot be used is in the log before the first probe asks. Not in the
     * caller ({@code call}), which says itself what went wrong with its token request.
     */
    void checkAtStart(@Observes StartupEvent started,
            @ConfigProperty(name = CallCommand.CALLER_MODE, defaultValue = "false") boolean callerMode) {
        if (!callerMode) {
            call().subscribe().with(ignored -> {
            }, ignored -> {
            });
        }
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
            return probe(discovery).map(answer -> {
                logChange(ctx.oidcConfig().authServerUrl().orElse(""), discovery, answer);
                String issuer = canVerify && ctx.getOidcMetadata().getIssuer() != null ? ctx.getOidcMetadata().getIssuer()
                        : ctx.oidcConfig().authServerUrl().orElse("");
                return HealthCheckResponse.named(NAME)
                        .status(canVerify)
                        .withData("canVerifyTokens", canVerify)
                        .withData("issuerReachable", answer.reachable())
                        .withData("issuerAnswer", answer.text())
                        .withData("issuer", issuer)
                        .build();
            });
        });
    }

    /** One line when the issuer's answer changes: it went away (or answers wrongly), or it is back. */
    private void logChange(String issuer, String discovery, Answer answer) {
        String previous = lastLogged.getAndSet(answer.reachable() ? "HTTP 200" : answer.text());
        if (answer.reachable() && !"HTTP 200".equals(previous)) {
            LOG.infof("The issuer %s answers again", issuer);
        } else if (!answer.reachable() && !answer.text().equals(previous)) {
            LOG.warnf("The issuer %s cannot be used: %s at %s%s", issuer, answer.text(), discovery,
                    answer.text().startsWith("HTTP ") ? " (is ISSUER the issuer's URL?)" : "");
        }
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
    private Uni<Answer> probe(String url) {
        if (url == null) {
            return Uni.createFrom().item(new Answer(false, "no issuer URL"));
        }
        return webClient.requestAbs(HttpMethod.GET, url)
                .timeout(probeTimeout.toMillis())
                .send()
                .map(response -> new Answer(response.statusCode() / 100 == 2, "HTTP " + response.statusCode()))
                .onFailure().recoverWithItem(failure -> new Answer(false, describe(failure)));
    }

    /** A failed request in a few words, without a stack trace. */
    static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException) {
                return "connection refused";
            }
            if (t instanceof java.net.UnknownHostException) {
                return "unknown host";
            }
            if (t instanceof java.util.concurrent.TimeoutException
                    || t instanceof io.netty.channel.ConnectTimeoutException) {
                return "no answer in time";
            }
        }
        return "no answer (" + failure.getClass().getSimpleName() + ")";
    }
}
