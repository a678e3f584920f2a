package com.example.m2m.api;

import java.util.stream.Collectors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.example.m2m.security.Refusals;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.ext.web.RoutingContext;

/**
 * Every refusal the REST layer makes is an RFC 9457 problem ({@code application/problem+json}), written by
 * {@link Refusals}; a 403 also carries RFC 6750's {@code insufficient_scope} challenge naming the scope the endpoint
 * needs ({@link Endpoints}).
 */
public class ProblemResponses {

    private static final Logger LOG = Logger.getLogger(ProblemResponses.class);

    @ConfigProperty(name = Endpoints.DEFAULT_SCOPE_SETTING)
    String defaultScope;

    @ConfigProperty(name = Endpoints.SCOPE_PREFIX_SETTING)
    java.util.Optional<String> scopePrefix;

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, RoutingContext context) {
        return Refusals.forbidden(
                Endpoints.asRequested(Endpoints.requiredScope(context.request().path(), defaultScope), scopePrefix),
                context);
    }

    /** No identity reached a protected resource: the same 401 the authentication mechanism writes. */
    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, RoutingContext context) {
        return Refusals.unauthorized(context);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response original = e.getResponse();
        if (original.getStatus() < 400) {
            return original;
        }
        Response.StatusType status = original.getStatusInfo();
        Response problem = Refusals.problem(status.getStatusCode(), status.getReasonPhrase(), null);
        return Response.fromResponse(original).type(problem.getMediaType()).entity(problem.getEntity()).build();
    }

    /** Well-formed JSON of the wrong shape (a string where a list goes, an array for an object, ...). */
    @ServerExceptionMapper
    public Response wrongShape(MismatchedInputException e) {
        return Refusals.problem(400, "Bad Request", "The request body does not have the shape this endpoint takes"
                + where(e) + " (see /q/openapi)");
    }

    /** Not JSON at all. */
    @ServerExceptionMapper
    public Response notJson(StreamReadException e) {
        return Refusals.problem(400, "Bad Request", "The request body is not valid JSON");
    }

    /** The field the mismatch is at, e.g. " at 'scopes'", from the field names only (never the value sent). */
    private static String where(JsonMappingException e) {
        String path = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        return path.isEmpty() ? "" : " at '" + path + "'";
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        // The class and stack are for the operator; the caller gets no internals.
        LOG.errorf(e, "Unexpected failure answering a request (%s)", e.getClass().getName());
        return Refusals.problem(500, "Internal Server Error", null);
    }
}
