package com.example.m2m.api;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.stream.Collectors;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.example.m2m.security.BearerChallenge;
import com.example.m2m.security.BearerTokenMechanism;
import com.example.m2m.security.TokenFailure;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.core.http.HttpServerRequest;

/**
 * Every refusal the REST layer makes is an RFC 9457 problem ({@code application/problem+json}); a 403 also carries
 * RFC 6750's {@code insufficient_scope} challenge naming the scope the endpoint needs. (401 and 400 answers to bad
 * tokens are written by {@code BearerTokenMechanism}, before a request reaches REST.)
 */
public class ProblemResponses {

    private static final Logger LOG = Logger.getLogger(ProblemResponses.class);

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, ResourceInfo resource, HttpServerRequest request) {
        String scope = requiredScopes(resource);
        String description = scope == null ? "The token does not grant access to this resource"
                : "The token lacks the scope this resource requires: " + scope;
        return Response.status(403)
                .header("WWW-Authenticate", BearerChallenge.header("insufficient_scope", description, scope,
                        BearerChallenge.resourceMetadataUrl(request)))
                .type(BearerChallenge.PROBLEM_JSON)
                .entity(BearerChallenge.problem(403, "Forbidden", description, "insufficient_scope").encode())
                .build();
    }

    /** No identity reached a protected resource: the same 401 the authentication mechanism writes. */
    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, RoutingContext context) {
        TokenFailure failure = BearerTokenMechanism.failureOf(context);
        return Response.status(failure.status())
                .header("WWW-Authenticate", BearerTokenMechanism.challengeHeader(context, failure))
                .type(BearerChallenge.PROBLEM_JSON)
                .entity(BearerChallenge.problem(failure.status(), failure.title(), failure.description(),
                        failure.error()).encode())
                .build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response original = e.getResponse();
        if (original.getStatus() < 400) {
            return original;
        }
        Response.StatusType status = original.getStatusInfo();
        Response.ResponseBuilder answer = Response.fromResponse(original)
                .type(BearerChallenge.PROBLEM_JSON)
                .entity(BearerChallenge.problem(status.getStatusCode(), status.getReasonPhrase(), null, null).encode());
        return answer.build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        // The class and stack are for the operator; the caller gets no internals.
        LOG.errorf(e, "Unexpected failure answering a request (%s)", e.getClass().getName());
        return Response.status(500)
                .type(BearerChallenge.PROBLEM_JSON)
                .entity(BearerChallenge.problem(500, "Internal Server Error", null, null).encode())
                .build();
    }

    /** The scopes of the resource method's {@code @RolesAllowed} (or its class's), space-separated. */
    static String requiredScopes(ResourceInfo resource) {
        if (resource == null || resource.getResourceClass() == null) {
            return null;
        }
        Method method = resource.getResourceMethod();
        RolesAllowed allowed = method == null ? null : method.getAnnotation(RolesAllowed.class);
        if (allowed == null) {
            allowed = resource.getResourceClass().getAnnotation(RolesAllowed.class);
        }
        if (allowed == null) {
            return null;
        }
        return Arrays.stream(allowed.value()).map(ProblemResponses::resolve).collect(Collectors.joining(" "));
    }

    /** {@code @RolesAllowed} may name a configuration expression, e.g. {@code ${api.default-scope}}. */
    private static String resolve(String role) {
        if (role.startsWith("${") && role.endsWith("}")) {
            String key = role.substring(2, role.length() - 1);
            int colon = key.indexOf(':');
            String name = colon < 0 ? key : key.substring(0, colon);
            return ConfigProvider.getConfig().getOptionalValue(name, String.class)
                    .orElse(colon < 0 ? role : key.substring(colon + 1));
        }
        return role;
    }
}
