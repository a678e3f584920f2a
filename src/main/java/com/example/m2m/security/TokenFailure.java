package com.example.m2m.security;

import org.jose4j.jwt.consumer.ErrorCodeValidator;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.UnresolvableKeyException;

import com.example.m2m.security.rules.RuleViolation;

/**
 * Why a request was not authenticated, in RFC 6750 / RFC 9449 terms: the HTTP status, the error code, a short reason
 * class for metrics and the audit trail (a fixed set, so that no caller can invent new ones), a description that is
 * safe to show the caller (it never quotes the token or its claims), the authentication scheme whose challenge the
 * answer carries ({@code Bearer}, {@code DPoP}, or both when no token was sent), and what the refusal costs its
 * sender ({@link Cost}), decided here, where each refusal is defined.
 */
public record TokenFailure(int status, String error, String reason, String description, Challenge challenge,
        Cost cost) {

    /** Which {@code WWW-Authenticate} challenges a refusal carries. */
    public enum Challenge {
        BEARER, DPOP, BOTH
    }

    /** What a refusal costs the one who sent it: whether it is remembered, and whether it is charged to its source. */
    public enum Cost {
        /**
         * A verdict on the token itself that only a new key set could change (bad signature under a key held, wrong
         * issuer or audience, expired, malformed, not active at the issuer): the same answer is given again for a
         * lookup ({@code flood.RefusedTokens}), and it is charged to its source ({@code flood.FailureBudget}).
         */
        REMEMBERED,
        /**
         * A verdict on this request, not on the token for good (a key the issuer may publish next, a token not valid
         * yet, a DPoP proof): charged to its source, not remembered.
         */
        CHARGED,
        /**
         * Nothing was decided about the sender's token: none was sent, its issuer could not be used, a key binding
         * that a proof would satisfy, or a failure that was not a check at all. Neither remembered nor charged: an
         * outage must never throttle honest callers.
         */
        FREE;

        public boolean charged() {
            return this != FREE;
        }
    }

    /**
     * No credentials at all: RFC 6750 3.1 and RFC 9449 7.1 say to send no error code then; both schemes are offered.
     */
    public static final TokenFailure NO_TOKEN = new TokenFailure(401, null, "no_token",
            "An access token is required (Bearer, or DPoP with a proof)", Challenge.BOTH, Cost.FREE);

    /**
     * Too many failed token checks from this request's source address ({@code security.flood.FailureBudget}): a 429
     * without a challenge (the token was not looked at), with {@code Retry-After}.
     */
    public static final TokenFailure SOURCE_THROTTLED = new TokenFailure(429, null, "token_failures",
            "Too many failed token checks from this address; retry after the time Retry-After gives", Challenge.BEARER,
            Cost.FREE);

    /** The issuer says the token is not active (RFC 7662): revoked, expired, or never issued. It never becomes active. */
    public static final TokenFailure NOT_ACTIVE = invalidToken("not_active",
            "The token is not active at its issuer (revoked, expired or unknown)", Cost.REMEMBERED);

    /** The issuer's introspection endpoint could not be asked (down, slow, or refusing the service's credentials). */
    public static final TokenFailure INTROSPECTION_UNAVAILABLE = invalidToken("issuer_unavailable",
            "The token cannot be checked now: its issuer's introspection endpoint did not answer", Cost.FREE);

    /**
     * The token's issuer cannot be used now (its discovery document or keys were never had: not reachable, or not an
     * OIDC issuer at its URL): nothing was decided about the token, so the same token is accepted once the issuer can
     * be used.
     */
    public static final TokenFailure ISSUER_UNAVAILABLE = invalidToken("issuer_unavailable",
            "The token cannot be checked: its issuer cannot be used now (not reachable, or no OIDC issuer at its URL)",
            Cost.FREE);

    public static final TokenFailure WRONG_ISSUER = invalidToken("wrong_issuer",
            "The token was not issued by the trusted issuer", Cost.REMEMBERED);

    public static final TokenFailure WRONG_AUDIENCE = invalidToken("wrong_audience",
            "The token is not meant for this API (audience)", Cost.REMEMBERED);

    /** Signed with a key the issuer does not publish (yet: it may next, so this is never remembered). */
    public static final TokenFailure UNKNOWN_KEY = invalidToken("unknown_key",
            "The token is signed with a key the issuer does not publish", Cost.CHARGED);

    /** A failure of Quarkus' verification that is none of the verdicts below: not the token's fault, as far as known. */
    public static final TokenFailure NOT_VERIFIED = invalidToken("malformed",
            "The token is malformed or could not be verified", Cost.FREE);

    /** The RFC 9457 title for this status. */
    public String title() {
        return switch (status) {
            case 400 -> "Bad Request";
            case 429 -> "Too Many Requests";
            default -> "Unauthorized";
        };
    }

    /** The same failure, answered with the given scheme's challenge. */
    public TokenFailure answeredWith(Challenge scheme) {
        return scheme == challenge ? this : new TokenFailure(status, error, reason, description, scheme, cost);
    }

    /** A malformed {@code Authorization} header: the request, not a token, was refused. */
    public static TokenFailure invalidRequest(String description) {
        return new TokenFailure(400, "invalid_request", "invalid_request", description, Challenge.BEARER, Cost.FREE);
    }

    public static TokenFailure invalidToken(String reason, String description, Cost cost) {
        return new TokenFailure(401, "invalid_token", reason, description, Challenge.BEARER, cost);
    }

    /** RFC 9449 section 7.1: the DPoP proof (or its binding to the token) is missing or wrong. */
    public static TokenFailure invalidProof(String reason, String description, Cost cost) {
        return new TokenFailure(401, "invalid_dpop_proof", reason, description, Challenge.DPOP, cost);
    }

    /**
     * A refusal decided inside Quarkus' verification by this service's own code (an augmentor), carrying its reason:
     * thrown as the cause of an {@code AuthenticationFailedException}, read back by {@link #of} and
     * {@link #ofIntrospection}. No stack trace: it is an answer, not an error.
     */
    public static final class Refused extends RuntimeException {

        private final transient TokenFailure failure;

        public Refused(TokenFailure failure) {
            super(failure.description(), null, false, false);
            this.failure = failure;
        }

        public TokenFailure failure() {
            return failure;
        }
    }

    /**
     * Reads a failed introspection (Quarkus' {@code OidcProvider.introspectToken}): the issuer's answer that the token
     * is not active, a check of the answer (its {@code iat}, its {@code aud} or {@code iss}); anything else means the
     * endpoint could not be asked (a refused connection, a timeout, an error status, the unexpected), never a verdict.
     */
    public static TokenFailure ofIntrospection(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Refused refused) {
                return refused.failure();
            }
            if (t instanceof InvalidJwtException) {
                return of(t); // the age check of the answer's iat
            }
        }
        return QuarkusOidc.saysNotActive(failure) ? NOT_ACTIVE : INTROSPECTION_UNAVAILABLE;
    }

    /**
     * Reads the verification failure Quarkus reports (jose4j's error codes, this service's rules) into a refusal a
     * caller can act on: a key the issuer does not publish, jose4j's verdict, this service's; anything else
     * {@link #NOT_VERIFIED}.
     */
    public static TokenFailure of(Throwable failure) {
        InvalidJwtException invalid = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Refused refused && invalid == null) {
                return refused.failure();
            }
            if (t instanceof UnresolvableKeyException) {
                return UNKNOWN_KEY;
            }
            if (t instanceof InvalidJwtException jwt && invalid == null) {
                invalid = jwt;
            }
        }
        return invalid == null ? NOT_VERIFIED : describe(invalid);
    }

    private static TokenFailure describe(InvalidJwtException invalid) {
        if (invalid.hasExpired()) {
            return invalidToken("expired", "The token has expired", Cost.REMEMBERED); // time only moves on
        }
        if (invalid.hasErrorCode(ErrorCodes.NOT_YET_VALID) || invalid.hasErrorCode(ErrorCodes.ISSUED_AT_INVALID_FUTURE)) {
            return invalidToken("not_yet_valid", "The token is not valid yet", Cost.CHARGED); // valid with time
        }
        if (invalid.hasErrorCode(ErrorCodes.ISSUER_INVALID) || invalid.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
            return WRONG_ISSUER;
        }
        if (invalid.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || invalid.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return WRONG_AUDIENCE;
        }
        for (ErrorCodeValidator.Error error : invalid.getErrorDetails()) {
            RuleViolation violation = RuleViolation.fromMarker(error.getErrorMessage());
            if (violation != null) {
                return invalidToken(violation.reason(), violation.description(), violation.cost());
            }
        }
        if (invalid.hasErrorCode(ErrorCodes.EXPIRATION_MISSING) || invalid.hasErrorCode(ErrorCodes.ISSUED_AT_MISSING)
                || invalid.hasErrorCode(ErrorCodes.SUBJECT_MISSING)) {
            return invalidToken("missing_claim", "The token lacks a required claim", Cost.REMEMBERED);
        }
        if (invalid.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) || invalid.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
            return invalidToken("bad_signature", "The token signature is invalid", Cost.REMEMBERED);
        }
        if (invalid.hasErrorCode(ErrorCodes.MALFORMED_CLAIM)) {
            return invalidToken(RuleViolation.MALFORMED_CLAIM.reason(), RuleViolation.MALFORMED_CLAIM.description(),
                    Cost.REMEMBERED);
        }
        return invalidToken("malformed", "The token is malformed or could not be verified", Cost.REMEMBERED);
    }
}
