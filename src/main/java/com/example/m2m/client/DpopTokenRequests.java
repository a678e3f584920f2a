package com.example.m2m.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.example.m2m.security.QuarkusOidc;

import io.quarkus.arc.Unremovable;
import io.quarkus.oidc.common.OidcEndpoint;
import io.quarkus.oidc.common.OidcRequestFilter;
import io.quarkus.oidc.common.OidcResponseFilter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.ext.web.client.HttpRequest;

/**
 * Puts a DPoP proof on the caller's token requests (RFC 9449 section 5), so that the authorization server binds the
 * token to the caller's key and answers {@code token_type: DPoP}; and keeps the server's {@code DPoP-Nonce} when it
 * sends one (section 8). Through Quarkus' OIDC client filter points: its client has no DPoP of its own. Only the
 * caller's client: the registrar's tokens are used by this service, not by the caller.
 */
@Unremovable // found by Quarkus' OIDC client among the OidcRequestFilter beans, never injected
@ApplicationScoped
@OidcEndpoint(OidcEndpoint.Type.TOKEN)
public class DpopTokenRequests implements OidcRequestFilter, OidcResponseFilter {

    /** The property Quarkus' OIDC client puts in each request's context: which configured client sends it. */
    private static final String URL = DpopTokenRequests.class.getName() + ".url";

    @Inject
    CallerDpopKey key;

    @Override
    public Uni<Void> filter(OidcRequestFilterContext context) {
        if (key.enabled() && !"registrar".equals(context.contextProperties().getString(QuarkusOidc.CLIENT_PROPERTY))) {
            String url = url(context.request());
            context.contextProperties().put(URL, url);
            context.request().putHeader("DPoP", key.proof("POST", url, null));
        }
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> filter(OidcResponseFilterContext context) {
        String url = context.requestProperties().getString(URL);
        if (url != null) {
            key.nonce(url, context.responseHeaders().get("DPoP-Nonce"));
        }
        return Uni.createFrom().voidItem();
    }

    private static String url(HttpRequest<?> request) {
        boolean https = Boolean.TRUE.equals(request.ssl());
        int port = request.port();
        boolean defaultPort = port <= 0 || port == (https ? 443 : 80);
        return (https ? "https" : "http") + "://" + request.host() + (defaultPort ? "" : ":" + port) + request.uri();
    }
}
