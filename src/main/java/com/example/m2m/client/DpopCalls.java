package com.example.m2m.client;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * Sends the caller's DPoP-bound token as {@code Authorization: DPoP <token>} with a new proof (with {@code ath}) on
 * every API call (RFC 9449 section 7), and keeps the API's {@code DPoP-Nonce} when it sends one (section 9). Runs
 * after Quarkus' OIDC client filter ({@code @OidcClientFilter}, priority {@code AUTHENTICATION}), which has put the
 * token there as {@code Bearer}; nothing happens unless {@code TEST_CLIENT_DPOP=true}.
 */
@Priority(Priorities.AUTHENTICATION + 10)
public class DpopCalls implements ClientRequestFilter, ClientResponseFilter {

    private static final String BEARER = "Bearer ";

    @Inject
    CallerDpopKey key;

    @Override
    public void filter(ClientRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (!key.enabled() || authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return;
        }
        String token = authorization.substring(BEARER.length()).strip();
        request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, "DPoP " + token);
        request.getHeaders().putSingle("DPoP", key.proof(request.getMethod(), request.getUri().toString(), token));
    }

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) {
        // (no headers when the call never reached the API: the token request failed)
        if (key.enabled() && response.getHeaders() != null) {
            key.nonce(request.getUri().toString(), response.getHeaders().getFirst("DPoP-Nonce"));
        }
    }
}
