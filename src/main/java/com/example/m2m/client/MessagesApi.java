package com.example.m2m.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.example.m2m.api.Endpoints;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.oidc.client.filter.OidcClientFilter;

/**
 * The API as a machine caller sees it. {@link OidcClientFilter} puts the default OIDC client's client-credentials
 * token on every call; the OIDC client caches the token and fetches a new one shortly before it expires
 * ({@code quarkus.oidc-client.refresh-token-time-skew}). With {@code TEST_CLIENT_DPOP=true}, {@link DpopCalls} sends that
 * token as {@code DPoP} with a proof per call.
 */
@RegisterRestClient(configKey = "messages-api")
@OidcClientFilter
@RegisterProvider(DpopCalls.class)
@Produces(MediaType.APPLICATION_JSON)
public interface MessagesApi {

    @GET
    @Path(Endpoints.ROOT)
    JsonNode hello();

    @GET
    @Path(Endpoints.PROTECTED)
    JsonNode protectedMessage();

    @GET
    @Path(Endpoints.ADMIN)
    JsonNode adminMessage();

    @GET
    @Path(Endpoints.WHOAMI)
    JsonNode whoami();
}
