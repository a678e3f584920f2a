package com.example.m2m.audit;

import java.time.Instant;

/**
 * One decision that matters, for "which client did what": a refused token and why, a refused scope, a spent quota, a
 * registered client. Never carries a token or a secret. {@code clientId} is the verified caller's (also when a check
 * after the verification refused it: revoked, say), or {@code "unknown"} when the token could not be verified (its
 * claims are not trusted, so not reported);
 * {@code issuer} is the listed issuer whose keys verified the token, or for a refused token the listed issuer it names
 * (with several issuers), else {@code "unknown"}: always one of {@code ISSUER}'s URLs, never a token's claim as such;
 * {@code source} is the caller's address (as the failure budget counts it) or {@code "-"}.
 * <p>
 * Refusals are aggregated ({@link AuditTrail#refusal}): {@code count} is how many identical refusals (same decision,
 * reason, source and client) the event stands for: 1 for the first of an interval, then the number of those that
 * followed it in that interval, reported when it ends. Other events have a count of 1.
 */
public record AuditEvent(Instant time, String decision, String reason, String clientId, String issuer, String source,
        String method, String path, long count, String detail) {

    public static final String TOKEN_REFUSED = "token_refused";
    public static final String SCOPE_REFUSED = "scope_refused";
    public static final String QUOTA_EXCEEDED = "quota_exceeded";
    /** A source address that spent its budget of failed token checks. */
    public static final String SOURCE_THROTTLED = "source_throttled";
    public static final String CLIENT_REGISTERED = "client_registered";
    public static final String UNKNOWN_CLIENT = "unknown";
    public static final String NO_SOURCE = "-";
}
