package com.example.m2m.registration;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code POST /api/clients}: {@code {"label": "billing-batch", "scopes": ["read:messages"]}}, and for a client with no
 * secret ({@code private_key_jwt}) its public keys: {@code "jwks": {"keys": [...]}} or {@code "jwks_uri": "https://..."}
 * (RFC 7591 section 2).
 */
@RegisterForReflection
public record NewClientRequest(String label, List<String> scopes, Map<String, Object> jwks,
        @JsonProperty("jwks_uri") String jwksUri) {

    public NewClientRequest(String label, List<String> scopes) {
        this(label, scopes, null, null);
    }
}
