package com.example.m2m.client;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.oidc.common.OidcEndpoint;
import io.quarkus.oidc.common.OidcResponseFilter;

/** Counts the caller's answers from the token endpoint, to show that its token is cached. */
@ApplicationScoped
@OidcEndpoint(OidcEndpoint.Type.TOKEN)
public class TokenRequestCounter implements OidcResponseFilter {

    private final AtomicInteger tokenResponses = new AtomicInteger();

    @Override
    public void filter(OidcResponseContext responseContext) {
        // The caller's client only (the default one), not the service's registrar client.
        if ("Default".equals(responseContext.requestProperties().get("client-id"))) {
            tokenResponses.incrementAndGet();
        }
    }

    public int count() {
        return tokenResponses.get();
    }
}
