package com.example.m2m.api;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import io.smallrye.common.annotation.NonBlocking;

import static com.example.m2m.api.Endpoints.ADMIN_SCOPE;
import static com.example.m2m.api.Endpoints.READ_SCOPE;

/** Messages at three levels of access; the roles are the token's scopes (see quarkus.oidc.roles.*). */
// Answered on the I/O thread: nothing here blocks, and a hop to a worker thread costs more than the answer.
@NonBlocking
@Path("/api/messages")
@Produces(MediaType.APPLICATION_JSON)
public class MessagesResource {

    @GET
    @Path("public")
    @PermitAll
    public Message publicMessage() {
        return new Message("The public message: no token needed.");
    }

    @GET
    @Path("protected")
    @RolesAllowed(READ_SCOPE)
    @SecurityRequirement(name = OpenApiSecurity.SCHEME, scopes = READ_SCOPE)
    public Message protectedMessage() {
        return new Message("The protected message: your token carries " + READ_SCOPE + ".");
    }

    @GET
    @Path("admin")
    @RolesAllowed(ADMIN_SCOPE)
    @SecurityRequirement(name = OpenApiSecurity.SCHEME, scopes = ADMIN_SCOPE)
    public Message adminMessage() {
        return new Message("The admin message: your token carries " + ADMIN_SCOPE + ".");
    }
}
