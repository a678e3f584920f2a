package com.example.m2m.security;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * The RFC 6750 {@code WWW-Authenticate} value and the RFC 9457 problem body that go with every refusal, so that 400,
 * 401 and 403 all say the same thing in the header and in the body.
 */
public final class BearerChallenge {

    public static final String REALM = "m2m-api";
    public static final String PROBLEM_JSON = "application/problem+json";
    public static final String METADATA_PATH = "/.well-known/oauth-protected-resource";

    private BearerChallenge() {
    }

    /**
     * {@code Bearer realm="...", error="...", error_description="...", scope="...", resource_metadata="..."}; absent
     * parts are left out (no error code when no token was sent, RFC 6750 3.1).
     */
    public static String header(String error, String description, String scope, String resourceMetadata) {
        StringBuilder value = new StringBuilder("Bearer realm=\"").append(REALM).append('"');
        append(value, "error", error);
        append(value, "error_description", description == null || error == null ? null : description);
        append(value, "scope", scope);
        append(value, "resource_metadata", resourceMetadata);
        return value.toString();
    }

    private static void append(StringBuilder value, String name, String content) {
        if (content != null) {
            // RFC 6750 3: these values must not contain '"' or '\'; ours are fixed strings, this keeps it so.
            value.append(", ").append(name).append("=\"").append(content.replace("\"", "'").replace("\\", "/"))
                    .append('"');
        }
    }

    /** An RFC 9457 problem: {@code type} names the OAuth error where there is one. */
    public static JsonObject problem(int status, String title, String detail, String error) {
        JsonObject problem = new JsonObject()
                .put("type", error == null ? "about:blank" : "https://datatracker.ietf.org/doc/html/rfc6750#section-3.1")
                .put("title", title)
                .put("status", status);
        if (detail != null) {
            problem.put("detail", detail);
        }
        if (error != null) {
            problem.put("error", error);
        }
        return problem;
    }

    /** The origin the caller used to reach this API ({@code scheme://host:port}). */
    public static String origin(HttpServerRequest request) {
        String authority = request.authority() != null ? request.authority().toString() : request.host();
        return request.scheme() + "://" + authority;
    }

    /** The resource metadata URL for the request's own origin (RFC 9728 section 5.1). */
    public static String resourceMetadataUrl(HttpServerRequest request) {
        return origin(request) + METADATA_PATH;
    }
}
