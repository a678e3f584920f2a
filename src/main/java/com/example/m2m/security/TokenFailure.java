package com.example.m2m.security;

import org.jose4j.jwt.consumer.ErrorCodeValidator;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.UnresolvableKeyException;

import com.example.m2m.security.rules.RuleViolation;

/**
 * Why a request was not authenticated, in RFC 6750 / RFC 9449 terms: the HTTP status, the error code, a short reason
 * class for metrics and the audit trail (a fixed set, so that no caller can invent new ones), a description that is
 * safe to show the caller (it never quotes the token or its claims), and the authentication scheme whose challenge
 * the answer carries ({@code Bearer}, {@code DPoP}, or both when no token was sent).
 */
public record TokenFailure(int status, String error, String reason, String description, Challenge challenge) {

    /** Which {@code WWW-Authenticate} challenges a refusal carries. */
    public enum Challenge {
        BEARER, DPOP, BOTH
    }

    /**
     * No credentials at all: RFC 6750 3.1 and RFC 9449 7.1 say to send no error code then; both schemes are offered.
     */
    public static final TokenFailure NO_TOKEN = new TokenFailure(401, null, "no_token",
            "An access token is required (Bearer, or DPoP with a proof)", Challenge.BOTH);

    /**
     * Too many failed token checks from this request's source address ({@code security.flood.FailureBudget}): a 429
     * without a challenge (the token was not looked at), with {@code Retry-After}.
     */
    public static final TokenFailure SOURCE_THROTTLED = new TokenFailure(429, null, "token_failures",
            "Too many failed token checks from this address; retry after the time Retry-After gives", Challenge.BEARER);

    /**
     * The issuer says the token is not active (RFC 7662): revoked, expired, or never issued. Permanent: an inactive
     * token never becomes active again.
     */
    public static final TokenFailure NOT_ACTIVE = invalidToken("not_active",
            "The token is not active at its issuer (revoked, expired or unknown)");

    /** The issuer's introspection endpoint could not be asked (down, slow, or refusing the service's credentials). */
    public static final TokenFailure INTROSPECTION_UNAVAILABLE = invalidToken("issuer_unavailable",
            "The token cannot be checked now: its issuer's introspection endpoint did not answer");

    /**
     * The token's issuer cannot be used now (its discovery document or keys were never had: not reachable, or not an
     * OIDC issuer at its URL): nothing was decided about the token, so it is neither remembered nor charged to its
     * source, and the same token is accepted once the issuer can be used.
     */
    public static final TokenFailure ISSUER_UNAVAILABLE = invalidToken("issuer_unavailable",
            "The token cannot be checked: its issuer cannot be used now (not reachable, or no OIDC issuer at its URL)");

    public static final TokenFailure WRONG_ISSUER = invalidToken("wrong_issuer",
            "The token was not issued by the trusted issuer");

    public static final TokenFailure WRONG_AUDIENCE = invalidToken("wrong_audience",
            "The token is not meant for this API (audience)");

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
        return scheme == challenge ? this : new TokenFailure(status, error, reason, description, scheme);
    }

    public static TokenFailure invalidRequest(String description) {
        return new TokenFailure(400, "invalid_request", "invalid_request", description, Challenge.BEARER);
    }

    public static TokenFailure invalidToken(String reason, String description) {
        return new TokenFailure(401, "invalid_token", reason, description, Challenge.BEARER);
    }

    /** RFC 9449 section 7.1: the DPoP proof (or its binding to the token) is missing or wrong. */
    public static TokenFailure invalidProof(String reason, String description) {
        return new TokenFailure(401, "invalid_dpop_proof", reason, description, Challenge.DPOP);
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
     * Reads a failed introspection (Quarkus' {@code OidcProvider.introspectToken}): the endpoint could not be asked
     * (a refused connection, a timeout, an error status), or it answered that the token is not active.
     */
    public static TokenFailure ofIntrospection(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Refused refused) {
                return refused.failure();
            }
            if (t instanceof InvalidJwtException) {
                return of(t); // the age check of the answer's iat
            }
            // OIDCException: an error status (503, or 401 for the service's own credentials)
            if (t instanceof io.quarkus.oidc.common.runtime.OidcEndpointAccessException
                    || t instanceof io.quarkus.oidc.OIDCException
                    || t instanceof java.io.IOException || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof io.vertx.core.VertxException) {
                return INTROSPECTION_UNAVAILABLE;
            }
        }
        return NOT_ACTIVE;
    }

    /** Reads the verification failure Quarkus reports (jose4j's error codes) into a description a caller can act on. */
    public static TokenFailure of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Refused refused) {
                return refused.failure();
            }
            if (t instanceof InvalidJwtException invalid) {
                return describe(invalid);
            }
            if (t instanceof UnresolvableKeyException) {
                return invalidToken("unknown_key", "The token is signed with a key the issuer does not publish");
            }
        }
        return invalidToken("malformed", "The token is malformed or could not be verified");
    }

    private static TokenFailure describe(InvalidJwtException invalid) {
        if (invalid.hasExpired()) {
            return invalidToken("expired", "The token has expired");
        }
        if (invalid.hasErrorCode(ErrorCodes.NOT_YET_VALID) || invalid.hasErrorCode(ErrorCodes.ISSUED_AT_INVALID_FUTURE)) {
            return invalidToken("not_yet_valid", "The token is not valid yet");
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
                return invalidToken(violation.reason(), violation.description());
            }
        }
        if (invalid.hasErrorCode(ErrorCodes.EXPIRATION_MISSING) || invalid.hasErrorCode(ErrorCodes.ISSUED_AT_MISSING)
                || invalid.hasErrorCode(ErrorCodes.SUBJECT_MISSING)) {
            return invalidToken("missing_claim", "The token lacks a required claim");
        }
        if (invalid.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) || invalid.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
            return invalidToken("bad_signature", "The token signature is invalid");
        }
        if (invalid.hasErrorCode(ErrorCodes.MALFORMED_CLAIM)) {
            return invalidToken(RuleViolation.MALFORMED_CLAIM.reason(), RuleViolation.MALFORMED_CLAIM.description());
        }
        return invalidToken("malformed", "The token is malformed or could not be verified");
    }
}
