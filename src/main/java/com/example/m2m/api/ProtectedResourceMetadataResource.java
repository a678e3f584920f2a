package com.example.m2m.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.example.m2m.security.IssuerTenants;
import com.example.m2m.security.Refusals;
import com.example.m2m.security.dpop.ProofRules;

import io.vertx.core.http.HttpServerRequest;

import io.smallrye.common.annotation.NonBlocking;

/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728): which authorization servers issue tokens for this API (each of
 * {@code ISSUER}'s, in order), the
 * scopes it knows, and how it takes a token. A caller that knows only the API's URL finds its issuer here (the
 * caller's {@code call --discover}). Quarkus has a built-in variant ({@code quarkus.oidc.resource-metadata.*}, scopes
 * included); this one takes its scopes from {@link Endpoints}, the list the resources use, so that the two cannot
 * drift, and also says {@code bearer_methods_supported} ({@code header} only), {@code resource_name}, and that
 * DPoP is taken ({@code dpop_signing_alg_values_supported}, {@code dpop_bound_access_tokens_required}), and whether
 * certificate-bound tokens are ({@code tls_client_certificate_bound_access_tokens}, RFC 8705 section 3.4).
 */
// Answered on the I/O thread: nothing here blocks, and a hop to a worker thread costs more than the answer.
@NonBlocking
@Path(Refusals.METADATA_PATH)
@PermitAll
public class ProtectedResourceMetadataResource {

    @Inject
    IssuerTenants issuers;

    @ConfigProperty(name = "api.resource")
    Optional<String> configuredResource;

    @ConfigProperty(name = "api.default-scope")
    String defaultScope;

    @ConfigProperty(name = Endpoints.SCOPE_PREFIX_SETTING)
    Optional<String> scopePrefix;

    @ConfigProperty(name = "api.dpop.required")
    boolean dpopRequired;

    /** Certificate-bound tokens taken (RFC 8705): the API's port does TLS with client certificates. */
    @ConfigProperty(name = "api.mtls.enabled", defaultValue = "false")
    boolean certificateBound;

    @Inject
    HttpServerRequest request;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> metadata() {
        return Map.of(
                "resource", configuredResource.orElse(Refusals.origin(request)),
                "authorization_servers", issuers(),
                "scopes_supported", Endpoints.scopes(defaultScope).keySet().stream()
                        .map(scope -> Endpoints.asRequested(scope, scopePrefix)).toList(),
                "bearer_methods_supported", List.of("header"),
                "resource_name", Refusals.REALM,
                "dpop_signing_alg_values_supported", ProofRules.ALGORITHMS,
                "dpop_bound_access_tokens_required", dpopRequired,
                "tls_client_certificate_bound_access_tokens", certificateBound);
    }

    /** Every trusted issuer, as its discovery document names it (the listed URL while it has not been reachable). */
    private List<String> issuers() {
        return issuers.all().stream().map(issuers::issuerId).toList();
    }
}
