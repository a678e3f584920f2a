package com.example.m2m.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.oidc.OIDCException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers 401 with a Bearer challenge, instead of Quarkus' 500, when a request fails because the OIDC tenant could
 * not be initialised (the issuer has not been reachable since start-up).
 * <p>
 * Quarkus' OIDC mechanism resolves its tenant for every request, with or without a token; while the issuer was never
 * reached that resolution fails with an {@link OIDCException}, which Quarkus reports as a server error. From the
 * caller's side the request is simply not authenticated: the service cannot accept any token yet, and readiness is
 * DOWN meanwhile (see {@code IssuerReadinessCheck}), so a load balancer sends no traffic here anyway.
 */
@ApplicationScoped
public class IssuerUnavailableHandler {

    void register(@Observes Router router) {
        // Failure handlers run in route order; this one runs before Quarkus' own, which is last.
        router.route().order(Integer.MIN_VALUE).failureHandler(IssuerUnavailableHandler::handle);
    }

    static void handle(RoutingContext context) {
        if (causedByOidc(context.failure()) && !context.response().headWritten()) {
            TokenFailure failure = context.request().getHeader("Authorization") == null ? TokenFailure.NO_TOKEN
                    : TokenFailure.ISSUER_UNAVAILABLE;
            Refusals.write(context, failure);
        } else {
            context.next();
        }
    }

    private static boolean causedByOidc(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof OIDCException) {
                return true;
            }
        }
        return false;
    }
}
