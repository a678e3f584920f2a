package com.example.m2m.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.common.annotation.NonBlocking;

/** The original sample's route: {@code GET /} for a token carrying the scope named by {@code DEFAULT_SCOPE}. */
// Answered on the I/O thread: nothing here blocks, and a hop to a worker thread costs more than the answer.
@NonBlocking
@Path("/")
public class HelloResource {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    // Resolved from configuration at start-up (api.default-scope, set from DEFAULT_SCOPE).
    @RolesAllowed("${api.default-scope}")
    public Message hello() {
        return new Message("Hello World!");
    }
}
