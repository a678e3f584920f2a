package com.example.m2m.registration;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The answer to a registration: what the new client needs to get tokens. The secret appears here and nowhere else
 * (never in a log line). {@code registration_client_uri} and {@code registration_access_token} let its owner read
 * or delete it at the authorization server (RFC 7592).
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL) // a private_key_jwt client has no client_secret at all
public record NewClientCredentials(
        @JsonProperty("client_id") String clientId,
        @JsonProperty("client_secret") String clientSecret,
        @JsonProperty("client_name") String clientName,
        @JsonProperty("token_endpoint") String tokenEndpoint,
        List<String> scopes,
        @JsonProperty("registration_client_uri") String registrationClientUri,
        @JsonProperty("registration_access_token") String registrationAccessToken,
        @JsonProperty("token_endpoint_auth_method") String tokenEndpointAuthMethod) {
}
