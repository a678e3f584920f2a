package com.example.m2m.client;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.oidc.common.OidcEndpoint;
import io.quarkus.oidc.common.OidcResponseFilter;
import io.smallrye.mutiny.Uni;

/** Counts the caller's answers from the token endpoint, to show that its token is cached. */
@ApplicationScoped
@OidcEndpoint(OidcEndpoint.Type.TOKEN)
public class TokenRequestCounter implements OidcResponseFilter {

    private final AtomicInteger tokenResponses = new AtomicInteger();

    @Override
    public Uni<Void> filter(OidcResponseFilterContext responseContext) {
        // The caller's client only (the default one), not the service's registrar client.
        if ("Default".equals(responseContext.requestProperties().get(com.example.m2m.security.QuarkusOidc.CLIENT_PROPERTY))) {
            tokenResponses.incrementAndGet();
        }
        return Uni.createFrom().voidItem();
    }

    public int count() {
        return tokenResponses.get();
    }
}
