package com.example.m2m.security.dpop;

import java.math.BigInteger;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.EllipticCurve;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.keys.EllipticCurves;

import com.example.m2m.security.TokenDigest;

/**
 * The checks of RFC 9449 section 4.3 on a DPoP proof, one small function each (each with its own test in
 * {@code ProofRulesTest}); {@link DpopProofs} runs them in order. Each answers null when the proof follows the rule,
 * or the {@link ProofViolation} it breaks. The header's rules take its JSON members as jose4j parses them.
 */
public final class ProofRules {

    /** Asymmetric algorithms only (section 4.3 point 5); the {@code algs} of the DPoP challenge and the metadata. */
    public static final List<String> ALGORITHMS = List.of("ES256", "ES384", "ES512", "PS256", "PS384", "PS512",
            "RS256", "RS384", "RS512");
    public static final String ALGORITHMS_SUPPORTED = String.join(" ", ALGORITHMS);

    static final String TYPE = "dpop+jwt";
    /** Longer than any proof with an 8192-bit RSA key: a bound on what is parsed at all. */
    static final int MAX_LENGTH = 8 * 1024;
    static final int MAX_JTI_LENGTH = 256;
    /** JWK members that carry private or symmetric key material (RFC 7518 section 6). */
    private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");
    private static final Map<String, String> CURVES = Map.of("ES256", EllipticCurves.P_256,
            "ES384", EllipticCurves.P_384, "ES512", EllipticCurves.P_521);
    /** 2^32: RSA exponents in use are 3 and 65537; a huge one would make each verification a costly exponentiation. */
    private static final BigInteger MAX_RSA_EXPONENT = BigInteger.ONE.shiftLeft(32);

    private ProofRules() {
    }

    /** Point 1: exactly one {@code DPoP} header. */
    static ProofViolation oneProofHeader(List<String> values) {
        return values.isEmpty() ? ProofViolation.NO_PROOF : values.size() > 1 ? ProofViolation.TWO_PROOFS : null;
    }

    /** Point 2, the shape before parsing: a compact JWS (three segments) of bounded length. */
    static ProofViolation compactJws(String proof) {
        if (proof.isEmpty() || proof.length() > MAX_LENGTH) {
            return ProofViolation.MALFORMED;
        }
        int first = proof.indexOf('.');
        int second = first < 0 ? -1 : proof.indexOf('.', first + 1);
        return first > 0 && second > first + 1 && proof.indexOf('.', second + 1) < 0 ? null : ProofViolation.MALFORMED;
    }

    /** Point 4: {@code typ} is exactly {@code dpop+jwt}. */
    static ProofViolation explicitType(Map<String, Object> header) {
        return TYPE.equals(header.get("typ")) ? null : ProofViolation.WRONG_TYPE;
    }

    /** Point 5: an asymmetric algorithm this API verifies (never {@code none}, never an HMAC). */
    static ProofViolation asymmetricAlgorithm(Map<String, Object> header) {
        return header.get("alg") instanceof String name && ALGORITHMS.contains(name) ? null
                : ProofViolation.UNSUPPORTED_ALGORITHM;
    }

    /**
     * RFC 7515 section 4.1.11: a {@code crit} header names extensions the recipient must understand; this API
     * understands none, so a proof with one is refused (as jose4j would, had it parsed the proof).
     */
    static ProofViolation noCriticalExtensions(Map<String, Object> header) {
        return header.containsKey("crit") ? ProofViolation.MALFORMED : null;
    }

    /** Point 7: the {@code jwk} header is a JSON object with a public RSA or EC key and no private member. */
    static ProofViolation publicKeyOnly(Object jwk) {
        if (!(jwk instanceof Map<?, ?> members)) {
            return ProofViolation.NOT_A_PUBLIC_KEY;
        }
        Object kty = members.get("kty");
        if (!"RSA".equals(kty) && !"EC".equals(kty)) {
            return ProofViolation.NOT_A_PUBLIC_KEY;
        }
        for (Object name : members.keySet()) {
            if (PRIVATE_MEMBERS.contains(name)) {
                return ProofViolation.NOT_A_PUBLIC_KEY;
            }
        }
        return null;
    }

    /**
     * Point 5 and 6, the key: an EC key on the curve its {@code ES*} algorithm names, an RSA key for {@code RS*} or
     * {@code PS*} of 2048 to 8192 bits with a small exponent (jose4j would take an EC key on another curve's alg
     * only to fail later, and any RSA size and exponent).
     */
    static ProofViolation keyFitsAlgorithm(PublicJsonWebKey key, String alg) {
        if (key instanceof EllipticCurveJsonWebKey ec) {
            return ec.getCurveName() != null && ec.getCurveName().equals(CURVES.get(alg))
                    && onCurve(ec.getECPublicKey()) ? null : ProofViolation.KEY_DOES_NOT_FIT;
        }
        if (key instanceof RsaJsonWebKey rsa && (alg.startsWith("RS") || alg.startsWith("PS"))) {
            RSAPublicKey publicKey = rsa.getRsaPublicKey();
            int bits = publicKey.getModulus().bitLength();
            BigInteger exponent = publicKey.getPublicExponent();
            return bits >= 2048 && bits <= 8192 && exponent.signum() > 0 && exponent.compareTo(MAX_RSA_EXPONENT) < 0
                    ? null
                    : ProofViolation.KEY_DOES_NOT_FIT;
        }
        return ProofViolation.KEY_DOES_NOT_FIT;
    }

    /**
     * The point is on its curve, coordinates reduced: y^2 = x^3 + ax + b (mod p), 0 <= x, y < p. jose4j and the JDK's
     * key factory take any coordinates and providers differ on what they do with them (Bouncy Castle refuses, the
     * JDK's ECDSA on Java 17 does not look), so an off-curve key (the point at infinity has no coordinates to send; the
     * usual stand-in is (0, 0)) is refused here, the same under every provider.
     */
    static boolean onCurve(ECPublicKey key) {
        EllipticCurve curve = key.getParams().getCurve();
        BigInteger p = ((ECFieldFp) curve.getField()).getP();
        BigInteger x = key.getW().getAffineX();
        BigInteger y = key.getW().getAffineY();
        if (x == null || y == null || x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger right = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
        return y.modPow(BigInteger.TWO, p).equals(right);
    }

    /** Point 3: {@code jti} (a non-empty string of bounded length), {@code htm}, {@code htu} present. */
    static ProofViolation requiredClaims(Object jti, Object htm, Object htu, Object iat, Object ath) {
        boolean present = jti instanceof String id && !id.isEmpty() && id.length() <= MAX_JTI_LENGTH
                && htm instanceof String && htu instanceof String && iat instanceof Number && ath instanceof String;
        return present ? null : ProofViolation.MISSING_CLAIM;
    }

    /** Point 8: {@code htm} is the request's method (methods are case-sensitive, RFC 9110 section 9.1). */
    static ProofViolation methodMatches(String htm, String method) {
        return htm.equals(method) ? null : ProofViolation.WRONG_METHOD;
    }

    /** Point 9: {@code htu} is the request's URI, both normalised and without query and fragment. */
    static ProofViolation uriMatches(String htu, String requestUri) {
        if (htu.equals(requestUri) && (requestUri.startsWith("http://") || requestUri.startsWith("https://"))
                && requestUri.indexOf('?') < 0 && requestUri.indexOf('#') < 0) {
            return null; // the usual case, without parsing either
        }
        String expected = HttpUri.normalise(requestUri);
        return expected != null && expected.equals(HttpUri.normalise(htu)) ? null : ProofViolation.WRONG_URI;
    }

    /** Point 11: {@code iat} within {@code window} seconds of now, either way (clocks differ). */
    static ProofViolation issuedWithinWindow(Number iat, long nowSeconds, long windowSeconds) {
        double issued = iat.doubleValue();
        return Math.abs(issued - nowSeconds) <= windowSeconds ? null : ProofViolation.NOT_FRESH;
    }

    /** Point 12: {@code ath} is base64url(SHA-256(the access token)). */
    static ProofViolation tokenHashMatches(String ath, String token) {
        return tokenHash(token).equals(ath) ? null : ProofViolation.WRONG_TOKEN_HASH;
    }

    /**
     * The {@code ath} of a token: base64url without padding of the SHA-256 of its ASCII bytes. That SHA-256 is the
     * token's {@link TokenDigest} (the same bytes: a token is ASCII when it is a token at all), hashed on the thread's
     * own digest.
     */
    public static String tokenHash(String token) {
        return TokenDigest.of(token).base64Url();
    }
}
