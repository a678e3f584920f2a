package com.example.m2m.client;

import java.util.function.Supplier;

import jakarta.ws.rs.WebApplicationException;

import io.quarkus.oidc.client.OidcClientException;

/**
 * RFC 9449 sections 8 and 9: a server may refuse a DPoP request with {@code use_dpop_nonce} and a {@code DPoP-Nonce}
 * header, which the client puts into a new proof. The nonce is kept as the answer passes through the caller's filters
 * ({@link CallerDpopKey#nonce}); this sends the request once more when that was the refusal, from either the
 * authorization server (the token request) or the API.
 */
public final class DpopNonceRetry {

    static final String USE_DPOP_NONCE = "use_dpop_nonce";

    private DpopNonceRetry() {
    }

    /** The call's answer, asking a second time if the first was refused for want of a nonce. */
    public static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            if (!isNonceChallenge(e)) {
                throw e;
            }
            return call.get();
        }
    }

    /** Whether this failure is a {@code use_dpop_nonce} refusal by the API or the authorization server. */
    static boolean isNonceChallenge(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof WebApplicationException refused && refused.getResponse().getStatus() == 401) {
                String challenge = refused.getResponse().getHeaderString("WWW-Authenticate");
                return challenge != null && challenge.contains("error=\"" + USE_DPOP_NONCE + "\"");
            }
            if (t instanceof OidcClientException && t.getMessage() != null && t.getMessage().contains(USE_DPOP_NONCE)) {
                return true;
            }
        }
        return false;
    }
}
