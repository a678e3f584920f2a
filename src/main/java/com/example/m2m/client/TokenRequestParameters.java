package com.example.m2m.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.example.m2m.security.QuarkusOidc;

import io.quarkus.arc.Unremovable;
import io.quarkus.oidc.common.OidcEndpoint;
import io.quarkus.oidc.common.OidcRequestFilter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;

/**
 * Adds what some token endpoints need beside {@code scope} to the caller's client-credentials requests:
 * {@code audience} ({@code TEST_CLIENT_AUDIENCE}; Auth0 issues no token without it, Ory Hydra puts only requested
 * audiences in {@code aud}) and RFC 8707's {@code resource} ({@code TEST_CLIENT_RESOURCE}). Written here rather than as
 * Quarkus' {@code quarkus.oidc-client.grant-options.client.*}: those cannot be left unset through an expression (an
 * empty value stops start-up), and most providers need neither. Only the caller's client, not the registrar's.
 */
@Unremovable // found by Quarkus' OIDC client among the OidcRequestFilter beans, never injected
@ApplicationScoped
@OidcEndpoint(OidcEndpoint.Type.TOKEN)
public class TokenRequestParameters implements OidcRequestFilter {

    private final String extra;

    @Inject
    public TokenRequestParameters(@ConfigProperty(name = "api.caller.audience") Optional<String> audience,
            @ConfigProperty(name = "api.caller.resource") Optional<String> resource) {
        this.extra = parameter("audience", audience) + parameter("resource", resource);
    }

    @Override
    public Uni<Void> filter(OidcRequestFilterContext context) {
        if (!extra.isEmpty() && !"registrar".equals(context.contextProperties().getString(QuarkusOidc.CLIENT_PROPERTY))
                && context.requestBody() != null) {
            context.requestBody(Buffer.buffer(context.requestBody().toString() + extra));
        }
        return Uni.createFrom().voidItem();
    }

    private static String parameter(String name, Optional<String> value) {
        return value.map(String::strip).filter(v -> !v.isEmpty())
                .map(v -> "&" + name + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)).orElse("");
    }
}
