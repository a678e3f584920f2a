package com.example.m2m.security;

import java.util.List;

import jakarta.ws.rs.core.Response;

import com.example.m2m.security.TokenFailure.Challenge;
import com.example.m2m.security.dpop.ProofRules;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Writes every refusal this API makes: the RFC 6750 {@code Bearer} or RFC 9449 {@code DPoP} {@code WWW-Authenticate}
 * challenge (400, 401, 403; both schemes when no token was sent) and the RFC 9457 problem body that says the same
 * thing, for the authentication mechanism (Vert.x) and for the REST layer (JAX-RS) alike. What it answers comes from
 * the request's {@link RequestState}.
 */
public final class Refusals {

    public static final String REALM = "m2m-api";
    public static final String PROBLEM_JSON = "application/problem+json";
    public static final String METADATA_PATH = "/.well-known/oauth-protected-resource";

    private Refusals() {
    }

    /**
     * A 429 (RFC 6585) with {@code Retry-After} in whole seconds (never 0) and a problem body, written straight to the
     * Vert.x response; {@code reason} is recorded for the metrics and the audit trail. Headers already on the response
     * (the {@code RateLimit} ones) stay.
     */
    public static void tooManyRequests(RoutingContext context, String reason, long retryAfterSeconds, String detail) {
        long seconds = Math.max(1, retryAfterSeconds);
        RequestState.of(context).throttled(reason, seconds);
        context.response()
                .setStatusCode(429)
                .putHeader("Retry-After", Long.toString(seconds))
                .putHeader(HttpHeaders.CONTENT_TYPE, PROBLEM_JSON)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(problemBody(429, "Too Many Requests", detail, null).encode());
    }

    /** A 400/401 for a token (or the 429 of a spent failure budget), written straight to the Vert.x response. */
    public static void write(RoutingContext context, TokenFailure failure) {
        if (failure.status() == 429) {
            tooManyRequests(context, failure.reason(), RequestState.retryAfterOf(context), failure.description());
            return;
        }
        context.response()
                .setStatusCode(failure.status())
                .putHeader("WWW-Authenticate", challenges(context.request(), failure))
                .putHeader(HttpHeaders.CONTENT_TYPE, PROBLEM_JSON)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(bodyOf(failure));
    }

    /**
     * The problem body of a refusal, encoded once per kind of refusal: a flood of bad tokens gets the same few
     * answers, and encoding each through Jackson was the largest allocation of a refused request (1.6 KiB of 10.5,
     * bench/alloc-profile.sh). Refusals are a small closed set (their descriptions are this service's sentences), the
     * map is bounded all the same.
     */
    private static String bodyOf(TokenFailure failure) {
        return BODIES.get(failure,
                f -> problemBody(f.status(), f.title(), f.description(), f.error()).encode());
    }

    private static final Cache<TokenFailure, String> BODIES = Caffeine.newBuilder().maximumSize(512)
            .executor(Runnable::run) // evictions tidied on the calling thread, not on the common pool
            .build();

    /** The same 400/401 as {@link #write}, as a JAX-RS response. */
    public static Response unauthorized(RoutingContext context) {
        TokenFailure failure = RequestState.failureOf(context);
        if (failure.status() == 429) {
            long seconds = RequestState.retryAfterOf(context);
            RequestState.of(context).throttled(failure.reason(), seconds);
            return Response.status(429).header("Retry-After", Long.toString(seconds))
                    .header(HttpHeaders.CACHE_CONTROL.toString(), "no-store").type(PROBLEM_JSON)
                    .entity(problemBody(429, failure.title(), failure.description(), null).encode()).build();
        }
        Response.ResponseBuilder response = Response.status(failure.status());
        for (String challenge : challenges(context.request(), failure)) {
            response.header("WWW-Authenticate", challenge);
        }
        return response
                .header(HttpHeaders.CACHE_CONTROL.toString(), "no-store")
                .type(PROBLEM_JSON)
                .entity(problemBody(failure.status(), failure.title(), failure.description(), failure.error()).encode())
                .build();
    }

    /**
     * 403 {@code insufficient_scope}, naming the scope the endpoint needs (RFC 6750 section 3.1), in the scheme the
     * token came with.
     */
    public static Response forbidden(String scope, RoutingContext context) {
        String description = scope == null ? "The token does not grant access to this resource"
                : "The token lacks the scope this resource requires: " + scope;
        Challenge scheme = RequestState.isDpop(context) ? Challenge.DPOP : Challenge.BEARER;
        return Response.status(403)
                .header("WWW-Authenticate", header(scheme, "insufficient_scope", description, scope,
                        resourceMetadataUrl(context.request())))
                .type(PROBLEM_JSON)
                .entity(problemBody(403, "Forbidden", description, "insufficient_scope").encode())
                .build();
    }

    /** Any other refusal (a bad body, an upstream failure): a problem without a challenge. */
    public static Response problem(int status, String title, String detail) {
        return Response.status(status).type(PROBLEM_JSON).entity(problemBody(status, title, detail, null).encode())
                .build();
    }

    /**
     * The challenges for a token failure, one {@code WWW-Authenticate} value each: its error code and description, or
     * neither when no token was sent (then one per scheme this API takes).
     */
    public static List<String> challenges(HttpServerRequest request, TokenFailure failure) {
        String metadata = resourceMetadataUrl(request);
        if (failure.challenge() == Challenge.BOTH) {
            return List.of(header(Challenge.BEARER, failure.error(), failure.description(), null, metadata),
                    header(Challenge.DPOP, failure.error(), failure.description(), null, metadata));
        }
        return List.of(header(failure.challenge(), failure.error(), failure.description(), null, metadata));
    }

    /**
     * {@code Bearer realm="...", error="...", error_description="...", scope="...", resource_metadata="..."}, or the
     * same with {@code DPoP} and its {@code algs} (RFC 9449 section 7.1); absent parts are left out (no error code
     * when no token was sent, RFC 6750 3.1).
     */
    static String header(Challenge scheme, String error, String description, String scope, String resourceMetadata) {
        StringBuilder value = new StringBuilder(scheme == Challenge.DPOP ? "DPoP" : "Bearer")
                .append(" realm=\"").append(REALM).append('"');
        append(value, "error", error);
        append(value, "error_description", description == null || error == null ? null : description);
        append(value, "scope", scope);
        if (scheme == Challenge.DPOP) {
            append(value, "algs", ProofRules.ALGORITHMS_SUPPORTED);
        }
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
    static JsonObject problemBody(int status, String title, String detail, String error) {
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
        // No authority (an HTTP/1.0 request without Host): the address it reached.
        String authority = request.authority() != null ? request.authority().toString()
                : request.localAddress().hostAddress() + ":" + request.localAddress().port();
        return request.scheme() + "://" + authority;
    }

    /** The resource metadata URL for the request's own origin (RFC 9728 section 5.1). */
    public static String resourceMetadataUrl(HttpServerRequest request) {
        return origin(request) + METADATA_PATH;
    }
}
