package com.example.m2m.security.dpop;

import com.example.m2m.security.TokenFailure;
import com.example.m2m.security.TokenFailure.Cost;

/**
 * Every way a DPoP request can be refused (RFC 9449): a reason class (a fixed label for metrics and the audit trail)
 * and a description that is safe to show the caller (nothing of the proof or the token is quoted). Proof failures are
 * {@code invalid_dpop_proof}; a token that does not fit the scheme it came with is {@code invalid_token}.
 */
public enum ProofViolation {

    NO_PROOF("dpop_proof_missing", "A DPoP request needs exactly one DPoP header with a proof"),
    TWO_PROOFS("dpop_proof_missing", "Send exactly one DPoP header"),
    MALFORMED("dpop_proof_malformed", "The DPoP proof is not a single signed JWT"),
    WRONG_TYPE("dpop_proof_malformed", "The DPoP proof's typ header must be dpop+jwt"),
    UNSUPPORTED_ALGORITHM("dpop_proof_algorithm",
            "The DPoP proof must be signed with one of: " + ProofRules.ALGORITHMS_SUPPORTED),
    NOT_A_PUBLIC_KEY("dpop_proof_key", "The DPoP proof's jwk header must be a public RSA or EC key, and nothing private"),
    KEY_DOES_NOT_FIT("dpop_proof_key",
            "The DPoP proof's key does not fit its algorithm (EC curve of the alg; RSA of 2048 to 8192 bits)"),
    BAD_SIGNATURE("dpop_proof_signature", "The DPoP proof's signature does not verify with its jwk"),
    MISSING_CLAIM("dpop_proof_malformed", "The DPoP proof lacks a claim or has one of the wrong type (jti htm htu iat ath)"),
    WRONG_METHOD("dpop_proof_mismatch", "The DPoP proof's htm is not this request's method"),
    WRONG_URI("dpop_proof_mismatch", "The DPoP proof's htu is not this request's URI"),
    WRONG_TOKEN_HASH("dpop_proof_mismatch", "The DPoP proof's ath is not the hash of this access token"),
    NOT_FRESH("dpop_proof_stale", "The DPoP proof's iat is outside the window this API accepts"),
    REPLAYED("dpop_proof_replayed", "The DPoP proof was used before: send a new proof (a new jti) with every request"),
    TOO_MANY_PROOFS("dpop_proof_replay_cache_full",
            "The API cannot record more DPoP proofs for replay checks right now; retry with a new proof"),
    WRONG_KEY("dpop_key_mismatch", "The DPoP proof is not signed by the key the token is bound to (cnf.jkt)"),
    // The token does not fit the scheme it was sent with (invalid_token, RFC 9449 section 7.2).
    BOUND_TOKEN_AS_BEARER("bound_token", "The token is bound to a key (cnf) and cannot be used as a bearer token"),
    UNBOUND_TOKEN_AS_DPOP("unbound_token",
            "The token is not bound to a DPoP key (no cnf.jkt): send it with the Bearer scheme"),
    DPOP_REQUIRED("dpop_required", "This API takes DPoP-bound tokens only: send the token with the DPoP scheme and a proof");

    private final String reason;
    private final String description;

    ProofViolation(String reason, String description) {
        this.reason = reason;
        this.description = description;
    }

    public String reason() {
        return reason;
    }

    public String description() {
        return description;
    }

    /**
     * The refusal: its error code, status, challenge scheme and cost. A bad proof is charged to its source, never
     * remembered (it belongs to one request); a token that does not fit its scheme or key is not charged (sent again
     * as it should be, it passes); a full replay memory is the service's limit, not the sender's failure.
     */
    public TokenFailure failure() {
        return switch (this) {
            case BOUND_TOKEN_AS_BEARER -> TokenFailure.invalidToken(reason, description, Cost.FREE);
            case UNBOUND_TOKEN_AS_DPOP, DPOP_REQUIRED -> TokenFailure.invalidToken(reason, description, Cost.FREE)
                    .answeredWith(TokenFailure.Challenge.DPOP);
            case WRONG_KEY, TOO_MANY_PROOFS -> TokenFailure.invalidProof(reason, description, Cost.FREE);
            default -> TokenFailure.invalidProof(reason, description, Cost.CHARGED);
        };
    }
}
