package com.example.m2m.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.example.m2m.security.Refusals;

/**
 * The one list of this API's scopes and endpoints, and which scope each endpoint needs. The resources' own
 * {@code @RolesAllowed} use these constants; everything that describes the API reads it from here: the 403 challenge
 * ({@code ProblemResponses}), the OpenAPI scheme ({@code OpenApiSecurity}), the RFC 9728 metadata, the metrics'
 * endpoint labels, the caller and the start-up summary.
 */
public final class Endpoints {

    public static final String READ_SCOPE = "read:messages";
    public static final String ADMIN_SCOPE = "admin:messages";
    public static final String REGISTER_SCOPE = "clients:register";

    public static final String ROOT = "/";
    public static final String PUBLIC = "/api/messages/public";
    public static final String PROTECTED = "/api/messages/protected";
    public static final String ADMIN = "/api/messages/admin";
    public static final String WHOAMI = "/api/whoami";
    public static final String CLIENTS = "/api/clients";

    /** The scope {@code GET /} needs: {@code DEFAULT_SCOPE}, {@code api.default-scope}. */
    public static final String DEFAULT_SCOPE_SETTING = "api.default-scope";

    /** {@code SCOPE_PREFIX}: what the provider puts before each scope name in tokens (Cognito), or empty. */
    public static final String SCOPE_PREFIX_SETTING = "api.scope-prefix";

    /**
     * A scope as a client asks for it and finds it in its token: with {@code SCOPE_PREFIX} (Cognito's
     * {@code <resource server>/}), prefixed. What the 403 challenge, the RFC 9728 metadata and OpenAPI name.
     */
    public static String asRequested(String scope, java.util.Optional<String> prefix) {
        return scope == null ? null : prefix.map(String::strip).orElse("") + scope;
    }

    /** Who may call an endpoint: anyone, any valid token, or a token with {@code scope}. */
    public enum Access {
        OPEN, ANY_TOKEN, SCOPE
    }

    public record Endpoint(String method, String path, Access access, String scope) {
    }

    private Endpoints() {
    }

    /** Every endpoint, with {@code DEFAULT_SCOPE} resolved. */
    public static List<Endpoint> all(String defaultScope) {
        return List.of(
                new Endpoint("GET", ROOT, Access.SCOPE, defaultScope),
                new Endpoint("GET", PUBLIC, Access.OPEN, null),
                new Endpoint("GET", PROTECTED, Access.SCOPE, READ_SCOPE),
                new Endpoint("GET", ADMIN, Access.SCOPE, ADMIN_SCOPE),
                new Endpoint("GET", WHOAMI, Access.ANY_TOKEN, null),
                new Endpoint("POST", CLIENTS, Access.SCOPE, REGISTER_SCOPE),
                new Endpoint("GET", Refusals.METADATA_PATH, Access.OPEN, null));
    }

    /** The endpoints' paths: the only values the metrics' {@code endpoint} label takes (besides {@code other}). */
    public static Set<String> paths() {
        return all("").stream().map(Endpoint::path).collect(Collectors.toUnmodifiableSet());
    }

    /** The scope the endpoint at {@code path} needs, or null. */
    public static String requiredScope(String path, String defaultScope) {
        return all(defaultScope).stream().filter(e -> e.path().equals(path) && e.access() == Access.SCOPE)
                .map(Endpoint::scope).findFirst().orElse(null);
    }

    /** Every scope the API knows, with what it grants, {@code DEFAULT_SCOPE} included. */
    public static Map<String, String> scopes(String defaultScope) {
        Map<String, String> scopes = new LinkedHashMap<>();
        scopes.put(READ_SCOPE, "Read the protected messages");
        scopes.put(ADMIN_SCOPE, "Read the admin messages");
        scopes.put(REGISTER_SCOPE, "Register new machine clients");
        scopes.putIfAbsent(defaultScope, "Call GET /");
        return scopes;
    }

    /** One line for the start-up log: each protected endpoint and the scope it needs. */
    public static String summary(String defaultScope) {
        return all(defaultScope).stream().filter(e -> e.access() != Access.OPEN)
                .map(e -> e.method() + " " + e.path() + " " + (e.scope() == null ? "(any valid token)" : e.scope()))
                .collect(Collectors.joining(", "));
    }
}
