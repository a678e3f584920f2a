package com.example.m2m.security.dpop;

import java.util.Map;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import com.example.m2m.security.mtls.CertificateBinding;


/**
 * Whether a verified token fits the scheme it came with (RFC 9449 sections 6.1, 7.1, 7.2): a token bound to a key
 * ({@code cnf.jkt}) only with {@code DPoP} and a proof by that very key; a token bound to nothing only with
 * {@code Bearer}, unless the API requires DPoP. Run on every request, after the token was verified or found in the
 * verified-token cache.
 */
public final class KeyBinding {

    private KeyBinding() {
    }

    /**
     * The verdict for a request: {@code dpop} whether the token came as {@code DPoP}; {@code boundKey} the token's
     * {@code cnf.jkt} or null; {@code proofKey} the thumbprint of the request's checked proof (null for Bearer).
     */
    public static ProofViolation check(boolean dpop, String boundKey, String proofKey, boolean dpopRequired) {
        if (!dpop) {
            return boundKey != null ? ProofViolation.BOUND_TOKEN_AS_BEARER
                    : dpopRequired ? ProofViolation.DPOP_REQUIRED : null;
        }
        if (boundKey == null) {
            return ProofViolation.UNBOUND_TOKEN_AS_DPOP;
        }
        return boundKey.equals(proofKey) ? null : ProofViolation.WRONG_KEY;
    }

    /**
     * The {@code cnf.jkt} of a token's {@code cnf} value as it came (a JWT claim, or an introspection answer's), or null
     * when it has no {@code cnf} or is bound to a certificate only ({@code x5t#S256}). A JWT's {@code cnf} of any other shape never gets here: the {@code DpopBindingOnly}
     * rule refuses it during verification.
     */
    public static String boundKeyOf(Object cnf) {
        Object jkt = cnf instanceof JsonObject json ? json.get("jkt")
                : cnf instanceof Map<?, ?> map ? map.get("jkt") : null;
        if (jkt instanceof JsonString text) {
            return text.getString();
        }
        if (jkt instanceof String text) {
            return text;
        }
        if (jkt == null && CertificateBinding.boundCertificateOf(cnf) != null) {
            return null; // bound to a certificate alone: mtls/CertificateBinding holds the sender to it
        }
        // cnf present but unreadable here: a key nobody's proof can match, never "unbound"
        return cnf == null || cnf == JsonValue.NULL ? null : "";
    }
}
