package com.example.m2m.api;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.example.m2m.security.BearerChallenge;

import io.quarkus.oidc.OidcConfigurationMetadata;
import io.vertx.core.http.HttpServerRequest;

import io.smallrye.common.annotation.NonBlocking;

/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728): which authorization server issues tokens for this API, the
 * scopes it knows, and how it takes a token. A caller that knows only the API's URL finds its issuer here (the
 * caller's {@code call --discover}). Quarkus has a built-in variant; this one adds {@code scopes_supported} and
 * {@code bearer_methods_supported}, and answers with a JSON content type.
 */
// Answered on the I/O thread: nothing here blocks, and a hop to a worker thread costs more than the answer.
@NonBlocking
@Path(BearerChallenge.METADATA_PATH)
@PermitAll
public class ProtectedResourceMetadataResource {

    @Inject
    Instance<OidcConfigurationMetadata> discovered;

    @ConfigProperty(name = "quarkus.oidc.auth-server-url")
    Optional<String> configuredIssuer;

    @ConfigProperty(name = "api.resource")
    Optional<String> configuredResource;

    @ConfigProperty(name = "api.default-scope")
    String defaultScope;

    @Inject
    HttpServerRequest request;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> metadata() {
        Set<String> scopes = new LinkedHashSet<>(List.of(defaultScope, MessagesResource.READ_SCOPE,
                MessagesResource.ADMIN_SCOPE));
        return Map.of(
                "resource", configuredResource.orElse(BearerChallenge.origin(request)),
                "authorization_servers", List.of(issuer()),
                "scopes_supported", scopes,
                "bearer_methods_supported", List.of("header"),
                "resource_name", BearerChallenge.REALM);
    }

    private String issuer() {
        try {
            String issuer = discovered.get().getIssuer();
            if (issuer != null) {
                return issuer;
            }
        } catch (RuntimeException notDiscoveredYet) {
            // the issuer has not been reachable since start-up: report the configured URL
        }
        return configuredIssuer.orElse("");
    }
}
