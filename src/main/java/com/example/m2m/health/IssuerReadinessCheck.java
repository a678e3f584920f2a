package com.example.m2m.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import com.example.m2m.client.CallCommand;
import com.example.m2m.security.IssuerTenants;
import com.example.m2m.security.QuarkusOidc;
import com.example.m2m.security.introspection.IntrospectionAnswers;

import io.quarkus.oidc.runtime.TenantConfigBean;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * Ready while the service can verify tokens, that is while the OIDC tenant holds the issuer's metadata and keys; with
 * several issuers ({@code ISSUER} a list), while at least one issuer's tenant does, the data saying it for each.
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
 * With {@code INTROSPECTION_CLIENT_ID}, the data also say what each issuer's introspection endpoint answered last
 * ({@code introspectionAnswer}: {@code HTTP 200}, or that the issuer refused the service's credentials, from
 * {@link IntrospectionAnswers}), since a reachable issuer may still refuse them. The status stays what it says above:
 * a pod taken out of service would get no request that could find the credentials accepted again.
 * <p>
 * Quarkus' tenants are reached through {@link QuarkusOidc} (internal API, as the built-in check's: no public API says
 * whether a tenant is initialised).
 */
@Readiness
@ApplicationScoped
public class IssuerReadinessCheck implements AsyncHealthCheck {

    static final String NAME = "oidc-issuer";

    private static final Logger LOG = Logger.getLogger(IssuerReadinessCheck.class);

    /** What a probe of the issuer's discovery document got: 2xx or not, and in a few words. */
    record Answer(boolean reachable, String text) {
    }

    /** Per issuer (tenant), the last answer the log reported: a changed answer is logged, a repeated one is not. */
    private final Map<String, AtomicReference<String>> lastLogged = new ConcurrentHashMap<>();

    private final TenantConfigBean tenants;
    private final IssuerTenants issuers;
    private final WebClient webClient;
    private final Duration probeTimeout;
    private final IntrospectionAnswers introspections;

    @Inject
    public IssuerReadinessCheck(TenantConfigBean tenants, IssuerTenants issuers, Vertx vertx,
            @ConfigProperty(name = "api.health.issuer-probe-timeout", defaultValue = "2S") Duration probeTimeout,
            IntrospectionAnswers introspections) {
        this.tenants = tenants;
        this.issuers = issuers;
        this.introspections = introspections;
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
        List<Uni<IssuerState>> checks = new ArrayList<>();
        for (IssuerTenants.Issuer issuer : issuers.all()) {
            checks.add(check(issuer, QuarkusOidc.tenant(tenants, issuer.tenantId())));
        }
        return Uni.join().all(checks).andCollectFailures().map(IssuerReadinessCheck::response);
    }

    /**
     * What readiness says about one issuer: whether its tenant can verify tokens, what its issuer answered, and its
     * introspection endpoint's last answer (null without INTROSPECTION_CLIENT_ID).
     */
    record IssuerState(String issuer, boolean canVerify, Answer answer, String introspectionAnswer) {

        IssuerState(String issuer, boolean canVerify, Answer answer) {
            this(issuer, canVerify, answer, null);
        }
    }

    /**
     * One issuer, one line of data each: ready while at least one issuer's tokens can be verified. With one issuer
     * the data are as they always were; with several, {@code issuer.N.*} (N as listed in ISSUER, from 1) for each.
     */
    static HealthCheckResponse response(List<IssuerState> states) {
        boolean canVerify = states.stream().anyMatch(IssuerState::canVerify);
        var response = HealthCheckResponse.named(NAME).status(canVerify).withData("canVerifyTokens", canVerify);
        if (states.size() == 1) {
            IssuerState only = states.get(0);
            response.withData("issuerReachable", only.answer().reachable())
                    .withData("issuerAnswer", only.answer().text())
                    .withData("issuer", only.issuer());
            if (only.introspectionAnswer() != null) {
                response.withData("introspectionAnswer", only.introspectionAnswer());
            }
            return response.build();
        }
        response.withData("issuers", states.size());
        for (int i = 0; i < states.size(); i++) {
            IssuerState state = states.get(i);
            String key = "issuer." + (i + 1);
            response.withData(key, state.issuer())
                    .withData(key + ".canVerifyTokens", state.canVerify())
                    .withData(key + ".issuerReachable", state.answer().reachable())
                    .withData(key + ".issuerAnswer", state.answer().text());
            if (state.introspectionAnswer() != null) {
                response.withData(key + ".introspectionAnswer", state.introspectionAnswer());
            }
        }
        return response.build();
    }

    private Uni<IssuerState> check(IssuerTenants.Issuer listed, QuarkusOidc.Tenant tenant) {
        String tenantId = listed.tenantId();
        Uni<QuarkusOidc.Tenant> initialised = tenant.ready()
                ? Uni.createFrom().item(tenant)
                : tenant.initialize()
                        .ifNoItem().after(probeTimeout).recoverWithItem(tenant)
                        .onFailure().recoverWithItem(tenant);
        return initialised.flatMap(ctx -> {
            boolean canVerify = ctx.ready() && ctx.metadata() != null;
            String discovery = discoveryUrl(ctx);
            return probe(discovery).map(answer -> {
                logChange(tenantId, ctx.authServerUrl(), discovery, answer);
                String issuer = canVerify && ctx.metadata().getIssuer() != null ? ctx.metadata().getIssuer()
                        : ctx.authServerUrl();
                return new IssuerState(issuer, canVerify, answer,
                        issuers.introspects() ? introspections.lastAnswer(listed.url()) : null);
            });
        });
    }

    /** One line when an issuer's answer changes: it went away (or answers wrongly), or it is back. */
    private void logChange(String tenantId, String issuer, String discovery, Answer answer) {
        String previous = lastLogged.computeIfAbsent(tenantId, id -> new AtomicReference<>("HTTP 200"))
                .getAndSet(answer.reachable() ? "HTTP 200" : answer.text());
        if (answer.reachable() && !"HTTP 200".equals(previous)) {
            LOG.infof("The issuer %s answers again", issuer);
        } else if (!answer.reachable() && !answer.text().equals(previous)) {
            LOG.warnf("The issuer %s cannot be used: %s at %s%s", issuer, answer.text(), discovery,
                    answer.text().startsWith("HTTP ") ? " (is ISSUER the issuer's URL?)" : "");
        }
    }

    private static String discoveryUrl(QuarkusOidc.Tenant tenant) {
        if (tenant.metadata() != null && tenant.metadata().getDiscoveryUri() != null) {
            return tenant.metadata().getDiscoveryUri();
        }
        String url = tenant.authServerUrl();
        return url.isEmpty() ? null : (url.endsWith("/") ? url : url + "/") + ".well-known/openid-configuration";
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
