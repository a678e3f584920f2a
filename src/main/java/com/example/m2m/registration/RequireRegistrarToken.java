package com.example.m2m.registration;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * Runs after Quarkus' OIDC client filter on the registration request and stops it when it carries no token: with a
 * registrar client Quarkus could not set up (disabled, or a URL it refused), that filter lets the request go out
 * without one. A registration must never reach an authorization server unauthenticated (it might accept it as an
 * open registration). The request fails instead, answered 502 like any registrar that cannot authenticate.
 */
@Priority(Priorities.AUTHENTICATION + 100)
public class RequireRegistrarToken implements ClientRequestFilter {

    /** The registration was stopped before it was sent. */
    public static final class NoToken extends RuntimeException {
        NoToken() {
            super("the registrar has no token", null, false, false);
        }
    }

    @Override
    public void filter(ClientRequestContext request) {
        Object authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.toString().isBlank()) {
            throw new NoToken();
        }
    }
}
