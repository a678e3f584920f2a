package com.example.m2m.registration;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.quarkus.oidc.OidcConfigurationMetadata;
import io.smallrye.mutiny.Uni;

/** Registers a confidential client-credentials client at the issuer (RFC 7591) and reads back its credentials. */
@ApplicationScoped
public class ClientRegistrar {

    static final String REGISTRAR = "registrar";

    /** Registration is off, or the issuer advertises no registration endpoint. */
    public static final class NotAvailable extends RuntimeException {
        NotAvailable(String message) {
            super(message, null, false, false);
        }
    }

    @Inject
    @RestClient
    RegistrationEndpoint endpoint;

    @Inject
    OidcConfigurationMetadata issuer;

    @ConfigProperty(name = "api.registration.enabled")
    boolean enabled;

    public Uni<NewClientCredentials> register(String label, List<String> scopes) {
        if (!enabled) {
            return Uni.createFrom().failure(new NotAvailable("Client registration is not enabled on this service"));
        }
        String registrationEndpoint = issuer.getRegistrationUri();
        if (registrationEndpoint == null) {
            return Uni.createFrom().failure(
                    new NotAvailable("The authorization server advertises no registration endpoint"));
        }
        Map<String, Object> metadata = Map.of(
                "client_name", label,
                "grant_types", List.of("client_credentials"),
                "token_endpoint_auth_method", "client_secret_basic",
                "scope", String.join(" ", scopes));
        return endpoint.register(registrationEndpoint, metadata).map(registered -> new NewClientCredentials(
                text(registered, "client_id"), text(registered, "client_secret"), label, issuer.getTokenUri(), scopes,
                text(registered, "registration_client_uri"), text(registered, "registration_access_token")));
    }

    private static String text(Map<String, Object> json, String name) {
        Object value = json.get(name);
        return value == null ? null : value.toString();
    }
}
