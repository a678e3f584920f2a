package com.example.m2m.security.rules;

import com.example.m2m.security.TokenFailure.Cost;

/**
 * Every way a {@link TokenRule} can refuse a token: a reason class (a fixed label for metrics and the audit trail) and
 * a description that is safe to show the caller. A fixed list, so that no token can make up its own text.
 */
public enum RuleViolation {

    NOT_A_SIGNED_JWT("malformed", "The token is not a single signed JWT (nested or encrypted tokens are not accepted)"),
    NON_CANONICAL_ENCODING("malformed", "The token is not in canonical base64url (no padding, no stray bits)"),
    NOT_UTF8("malformed", "The token's header or claims are not UTF-8"),
    CRITICAL_EXTENSION("malformed", "The token names a critical header extension (crit) this API does not support"),
    WRONG_ALGORITHM_FOR_KEY("bad_signature", "The token is signed with an algorithm its key is not published for"),
    WRONG_TYPE("wrong_type", "The token is not an access token: its typ header must be absent, JWT or at+jwt"),
    NOT_AN_ACCESS_TOKEN("wrong_type", "The token is not an access token (token_use, or an ID token's claims)"),
    CLIENT_NOT_ALLOWED("client_not_allowed", "The token was issued to a client this API does not accept"),
    NOT_RFC9068("wrong_type", "The token is not an RFC 9068 access token (typ must be at+jwt)"),
    MISSING_RFC9068_CLAIM("missing_claim", "The token lacks a claim RFC 9068 requires (iss exp aud sub client_id iat jti)"),
    ISSUED_IN_FUTURE("not_yet_valid", "The token is not valid yet (issued in the future)", Cost.CHARGED),
    MALFORMED_CLAIM("malformed_claim", "A claim of the token has the wrong JSON type"),
    // Not remembered: the reason also says a DPoP-bound token came as Bearer, which the same token with its proof passes.
    UNCHECKABLE_BINDING("bound_token",
            "The token is bound (cnf) in a way this API cannot check: only one DPoP key thumbprint (cnf.jkt) or one certificate thumbprint (cnf.x5t#S256) is accepted",
            Cost.CHARGED);

    /** Marks a jose4j error message as one of ours. */
    static final String PREFIX = "m2m-rule:";

    private final String reason;
    private final String description;
    private final Cost cost;

    /** A verdict on the token alone: it never changes while the issuer's keys stay (remembered, charged). */
    RuleViolation(String reason, String description) {
        this(reason, description, Cost.REMEMBERED);
    }

    RuleViolation(String reason, String description, Cost cost) {
        this.reason = reason;
        this.description = description;
        this.cost = cost;
    }

    /** What this refusal costs its sender ({@link Cost}). */
    public Cost cost() {
        return cost;
    }

    public String reason() {
        return reason;
    }

    public String description() {
        return description;
    }

    String marker() {
        return PREFIX + name();
    }

    /** The violation a jose4j error message names, or null when the message is not one of ours. */
    public static RuleViolation fromMarker(String message) {
        if (message == null || !message.startsWith(PREFIX)) {
            return null;
        }
        try {
            return valueOf(message.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
