package com.example.m2m.security.mtls;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import com.example.m2m.security.TokenFailure;
import com.example.m2m.security.TokenFailure.Cost;

/**
 * RFC 8705 section 3: a token bound to a client certificate ({@code "cnf": {"x5t#S256": ...}}, the base64url SHA-256
 * of the certificate's DER, no padding) is accepted only from a request that presented that certificate: over the TLS
 * connection itself, or in the header of a proxy the operator trusts ({@link PresentedCertificate}). Run on every
 * request, cached token or not: the verified-token cache remembers the token, never the connection.
 * <p>
 * Why not Quarkus' own {@code quarkus.oidc.token.binding.certificate}: it checks inside Quarkus' verification, which a
 * verified-token cache hit skips (the cache turns itself off with it), and it knows only the TLS connection's
 * certificate, not a trusted proxy's header.
 */
public final class CertificateBinding {

    /** The confirmation method's member name in {@code cnf} (RFC 8705 section 3.1). */
    public static final String MEMBER = "x5t#S256";

    /** A certificate-bound token from a request that presented no certificate (or none the API could see). */
    public static final TokenFailure NO_CERTIFICATE = TokenFailure.invalidToken("certificate_missing",
            "The token is bound to a client certificate (cnf.x5t#S256): send it over a TLS connection that presents"
                    + " that certificate",
            // Not the token's fault for good: the same token is valid with its certificate. Nor charged: the check
            // is a hash comparison on a token that verified, and an honest caller's misconfiguration must not throttle it.
            Cost.FREE);

    /** A certificate-bound token from a request whose certificate is another one: a stolen token, most likely. */
    public static final TokenFailure WRONG_CERTIFICATE = TokenFailure.invalidToken("certificate_mismatch",
            "The client certificate of this request is not the one the token is bound to (cnf.x5t#S256)", Cost.FREE);

    /** CERTIFICATE_BOUND_TOKENS_REQUIRED: a token bound to no certificate. */
    public static final TokenFailure BINDING_REQUIRED = TokenFailure.invalidToken("certificate_binding_required",
            "This API takes only tokens bound to a client certificate (RFC 8705, cnf.x5t#S256)", Cost.FREE);

    private CertificateBinding() {
    }

    /**
     * The verdict for a request: {@code boundCertificate} the token's {@code cnf.x5t#S256} (or null when it is bound to
     * no certificate), {@code presented} the thumbprint of the certificate the request presented (or null). Null when
     * the request may go on. A token bound to a DPoP key is {@code dpop/KeyBinding}'s, never required to be
     * certificate-bound as well.
     */
    public static TokenFailure check(String boundCertificate, String presented, boolean required, boolean keyBound) {
        if (boundCertificate == null) {
            return required && !keyBound ? BINDING_REQUIRED : null;
        }
        if (presented == null) {
            return NO_CERTIFICATE;
        }
        // Constant time: the thumbprint is public, but there is no reason to say how much of it matched.
        return MessageDigest.isEqual(boundCertificate.getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII)) ? null : WRONG_CERTIFICATE;
    }

    /**
     * The {@code cnf.x5t#S256} of a token's {@code cnf} as it came (a JWT claim, or an introspection answer's), or null
     * when it names none. A value that is not a thumbprint becomes "", which no certificate matches: bound, never
     * "unbound".
     */
    public static String boundCertificateOf(Object cnf) {
        Object x5t = cnf instanceof JsonObject json ? json.get(MEMBER)
                : cnf instanceof Map<?, ?> map ? map.get(MEMBER) : null;
        if (x5t == null) {
            return null;
        }
        Object text = x5t instanceof JsonString json ? json.getString() : x5t;
        return isThumbprint(text) ? (String) text : "";
    }

    /** A SHA-256 thumbprint: 32 bytes in base64url without padding (RFC 8705 section 3.1). */
    public static boolean isThumbprint(Object value) {
        return value instanceof String text && text.length() == 43
                && text.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                        || (c >= '0' && c <= '9') || c == '-' || c == '_');
    }

    /** The RFC 8705 thumbprint of a certificate's DER encoding. */
    public static String thumbprint(byte[] der) {
        try {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
