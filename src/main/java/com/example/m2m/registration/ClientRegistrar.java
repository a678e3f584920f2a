package com.example.m2m.registration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.example.m2m.config.RegistrationMetadata;

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
    /** RFC 7591 token_endpoint_auth_method of a client with a secret, and of one with keys (RFC 7523). */
    static final String SECRET_AUTH = "client_secret_basic";
    static final String KEY_AUTH = "private_key_jwt";

    /** Registration is off, or the issuer advertises no registration endpoint. */
    public static final class NotAvailable extends RuntimeException {
        NotAvailable(String message) {
            super(message, null, false, false);
        }
    }

    @Inject
    @RestClient
    RegistrationEndpoint endpoint;

    /** The API's issuer: its token endpoint is where a new client gets tokens for this API. */
    @Inject
    OidcConfigurationMetadata issuer;

    @Inject
    RegistrarIssuer registrarIssuer;

    /** REGISTRATION_METADATA: what the provider needs beside the standard members (Okta: application_type). */
    private final Map<String, Object> extraMetadata;

    @Inject
    public ClientRegistrar(@ConfigProperty(name = "api.registration.metadata") Optional<String> extraMetadata) {
        this.extraMetadata = RegistrationMetadata.parse(extraMetadata.orElse(null));
    }

    @ConfigProperty(name = "api.registration.enabled")
    boolean enabled;

    /** Registers a client; with {@code keys}, a {@code private_key_jwt} client (no secret), else a secret one. */
    public Uni<NewClientCredentials> register(String label, List<String> scopes, ClientKeys keys) {
        if (!enabled) {
            return Uni.createFrom().failure(new NotAvailable("Client registration is not enabled on this service"));
        }
        return registrarIssuer.registrationEndpoint().chain(registrationEndpoint -> {
            if (registrationEndpoint == null) {
                return Uni.createFrom().failure(
                        new NotAvailable("The authorization server advertises no registration endpoint"));
            }
            return register(registrationEndpoint, label, scopes, keys);
        });
    }

    private Uni<NewClientCredentials> register(String registrationEndpoint, String label, List<String> scopes,
            ClientKeys keys) {
        String authMethod = keys == null ? SECRET_AUTH : KEY_AUTH;
        Map<String, Object> metadata = new LinkedHashMap<>(extraMetadata);
        metadata.put("client_name", label);
        metadata.put("grant_types", List.of("client_credentials"));
        metadata.put("token_endpoint_auth_method", authMethod);
        metadata.put("scope", String.join(" ", scopes));
        if (keys != null && keys.jwks() != null) {
            metadata.put("jwks", keys.jwks());
        } else if (keys != null) {
            metadata.put("jwks_uri", keys.jwksUri());
        }
        return endpoint.register(registrationEndpoint, metadata).map(registered -> new NewClientCredentials(
                text(registered, "client_id"),
                // A key-authenticated client has no secret: whatever the server generated is not passed on.
                keys == null ? text(registered, "client_secret") : null,
                label, issuer.getTokenUri(), scopes,
                text(registered, "registration_client_uri"), text(registered, "registration_access_token"),
                authMethod));
    }

    private static String text(Map<String, Object> json, String name) {
        Object value = json.get(name);
        return value == null ? null : value.toString();
    }
}
