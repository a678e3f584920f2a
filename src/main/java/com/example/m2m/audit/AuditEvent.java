package com.example.m2m.audit;

import java.time.Instant;

/**
 * One decision that matters, for "which client did what": a refused token and why, a refused scope, a registered
 * client. Never carries a token or a secret. {@code clientId} is the verified caller's, or {@code "unknown"} when the
 * token could not be verified (its claims are not trusted, so not reported).
 */
public record AuditEvent(Instant time, String decision, String reason, String clientId, String method, String path,
        String detail) {

    public static final String TOKEN_REFUSED = "token_refused";
    public static final String SCOPE_REFUSED = "scope_refused";
    public static final String CLIENT_REGISTERED = "client_registered";
    public static final String UNKNOWN_CLIENT = "unknown";
}
