package com.example.m2m.registration;

import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.quarkus.rest.client.reactive.Url;
import io.smallrye.mutiny.Uni;

/**
 * The issuer's RFC 7591 registration endpoint. The service authenticates with its own client-credentials token from
 * the OIDC client {@code registrar} (REGISTRAR_CLIENT_ID / REGISTRAR_CLIENT_SECRET), chosen over an initial access
 * token: nothing long-lived to hand out, rotate or leak, and the right to register is a role at the authorization
 * server (Keycloak: realm-management create-client), revocable there.
 * <p>
 * quarkus-oidc-client-registration would do this call; its 3.33.2 artifacts are not all served by the registries
 * this project builds from, so this typed REST client does the one POST it needs instead.
 */
@RegisterRestClient(configKey = "registration-endpoint")
@OidcClientFilter(ClientRegistrar.REGISTRAR)
@org.eclipse.microprofile.rest.client.annotation.RegisterProvider(RequireRegistrarToken.class)
public interface RegistrationEndpoint {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Map<String, Object>> register(@Url String registrationEndpoint, Map<String, Object> clientMetadata);
}
