package com.example.m2m.registration;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.example.m2m.config.IssuerList;

import io.quarkus.oidc.OidcConfigurationMetadata;
import io.smallrye.mutiny.Uni;

/**
 * Where the registrar registers clients: the {@code registration_endpoint} of <em>its</em> issuer's discovery
 * document. That is the API's issuer (the first of {@code ISSUER}, whose document the OIDC extension already holds)
 * unless {@code REGISTRAR_ISSUER} names another: Okta issues the API's tokens from a custom authorization server
 * ({@code https://<org>.okta.com/oauth2/default}) but registers clients only at the org authorization server's
 * {@code /oauth2/v1/clients}, with a token of the org server
 * (https://developer.okta.com/docs/api/openapi/oauth/oauth/tag/Client/). That document is read once, on the first
 * registration, and kept (read again while it could not be read); its {@code issuer} must be the URL it was read from
 * (RFC 8414 section 3.3), so a document naming another issuer is not used.
 */
@ApplicationScoped
public class RegistrarIssuer {

    private final Optional<String> url;
    private final AtomicReference<String> registrationEndpoint = new AtomicReference<>();

    @Inject
    OidcConfigurationMetadata apiIssuer;

    @Inject
    @RestClient
    DiscoveryDocument documents;

    @Inject
    public RegistrarIssuer(@ConfigProperty(name = "api.registrar.issuer") Optional<String> url) {
        this.url = url.map(String::strip).filter(u -> !u.isEmpty());
    }

    /** The registration endpoint, or null when the registrar's issuer advertises none. */
    public Uni<String> registrationEndpoint() {
        if (url.isEmpty()) {
            return Uni.createFrom().item(apiIssuer.getRegistrationUri());
        }
        String known = registrationEndpoint.get();
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        String issuer = url.get();
        return documents.read(IssuerList.withoutTrailingSlash(issuer) + "/.well-known/openid-configuration")
                .map(document -> {
                    if (!IssuerList.withoutTrailingSlash(issuer)
                            .equals(IssuerList.withoutTrailingSlash(String.valueOf(document.get("issuer"))))) {
                        throw new ClientRegistrar.NotAvailable("The registrar's issuer (REGISTRAR_ISSUER) publishes a"
                                + " discovery document for another issuer");
                    }
                    Object endpoint = document.get("registration_endpoint");
                    if (endpoint instanceof String text) {
                        registrationEndpoint.set(text);
                        return text;
                    }
                    return null;
                });
    }

    /** Another issuer's discovery document (RFC 8414 / OpenID Connect Discovery). */
    @org.eclipse.microprofile.rest.client.inject.RegisterRestClient(configKey = "registrar-issuer")
    public interface DiscoveryDocument {
        @jakarta.ws.rs.GET
        @jakarta.ws.rs.Produces(jakarta.ws.rs.core.MediaType.APPLICATION_JSON)
        Uni<Map<String, Object>> read(@io.quarkus.rest.client.reactive.Url String url);
    }
}
