package com.example.m2m.config;

import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonObject;

/**
 * {@code REGISTRATION_METADATA}: client metadata (RFC 7591 section 2) a provider needs in every registration request
 * beyond the standard members, e.g. Okta's {@code "application_type": "service"} (without it Okta registers a web
 * application and refuses the client-credentials grant). It cannot change what the service sets itself.
 */
public final class RegistrationMetadata {

    /**
     * The members the service sets in every registration request: the client it registers is always a
     * client-credentials client with the label, scopes and keys of the caller's request.
     */
    public static final List<String> RESERVED = List.of("client_name", "grant_types", "scope",
            "token_endpoint_auth_method", "jwks", "jwks_uri");

    private RegistrationMetadata() {
    }

    static boolean isValid(String value) {
        try {
            return RESERVED.stream().noneMatch(new JsonObject(value)::containsKey);
        } catch (RuntimeException notAnObject) {
            return false;
        }
    }

    /** The extra members as a map (empty when the setting is unset); the value has passed {@link #isValid}. */
    public static Map<String, Object> parse(String value) {
        return value == null || value.isBlank() ? Map.of() : new JsonObject(value).getMap();
    }
}
