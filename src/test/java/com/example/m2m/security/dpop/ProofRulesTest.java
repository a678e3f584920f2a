package com.example.m2m.security.dpop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.List;
import java.util.Map;

import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.json.JsonUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProofRulesTest {

    private static Map<String, Object> headerOnly(String headerJson) throws Exception {
        return JsonUtil.parseJson(headerJson);
    }

    private static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    private static KeyPair rsa(int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    @Test
    void oneProofHeader() {
        assertNull(ProofRules.oneProofHeader(List.of("a.b.c")));
        assertEquals(ProofViolation.NO_PROOF, ProofRules.oneProofHeader(List.of()));
        assertEquals(ProofViolation.TWO_PROOFS, ProofRules.oneProofHeader(List.of("a.b.c", "a.b.c")));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "abc", "a.b", "a.b.c.d", ".b.c", "a..c", "a.b.c.d.e" })
    void aProofIsThreeSegments(String proof) {
        assertEquals(ProofViolation.MALFORMED, ProofRules.compactJws(proof));
    }

    @Test
    void aProofHasABoundedLength() {
        assertNull(ProofRules.compactJws("a.b.c"));
        assertNull(ProofRules.compactJws("a.b."), "alg none's empty signature is refused later, by its alg");
        assertEquals(ProofViolation.MALFORMED, ProofRules.compactJws("a." + "b".repeat(ProofRules.MAX_LENGTH) + ".c"));
    }

    @Test
    void explicitType() throws Exception {
        assertNull(ProofRules.explicitType(headerOnly("{\"typ\":\"dpop+jwt\"}")));
        for (String typ : List.of("\"JWT\"", "\"at+jwt\"", "\"DPOP+JWT\"", "\"application/dpop+jwt\"", "1", "null")) {
            assertEquals(ProofViolation.WRONG_TYPE, ProofRules.explicitType(headerOnly("{\"typ\":" + typ + "}")), typ);
        }
        assertEquals(ProofViolation.WRONG_TYPE, ProofRules.explicitType(headerOnly("{}")));
    }

    @Test
    void asymmetricAlgorithm() throws Exception {
        for (String alg : ProofRules.ALGORITHMS) {
            assertNull(ProofRules.asymmetricAlgorithm(headerOnly("{\"alg\":\"" + alg + "\"}")), alg);
        }
        for (String alg : List.of("\"none\"", "\"HS256\"", "\"es256\"", "\"EdDSA\"", "\"RSA-OAEP\"", "[\"ES256\"]")) {
            assertEquals(ProofViolation.UNSUPPORTED_ALGORITHM,
                    ProofRules.asymmetricAlgorithm(headerOnly("{\"alg\":" + alg + "}")), alg);
        }
    }

    @Test
    void noCriticalExtensions() throws Exception {
        assertNull(ProofRules.noCriticalExtensions(headerOnly("{\"typ\":\"dpop+jwt\"}")));
        assertEquals(ProofViolation.MALFORMED, ProofRules.noCriticalExtensions(headerOnly("{\"crit\":[\"exp\"]}")));
        assertEquals(ProofViolation.MALFORMED, ProofRules.noCriticalExtensions(headerOnly("{\"crit\":[]}")));
    }

    @Test
    void publicKeyOnly() {
        assertNull(ProofRules.publicKeyOnly(Map.of("kty", "EC", "crv", "P-256", "x", "x", "y", "y")));
        assertNull(ProofRules.publicKeyOnly(Map.of("kty", "RSA", "n", "n", "e", "AQAB")));
        for (String member : List.of("d", "p", "q", "dp", "dq", "qi", "oth")) {
            assertEquals(ProofViolation.NOT_A_PUBLIC_KEY,
                    ProofRules.publicKeyOnly(Map.of("kty", "RSA", "n", "n", "e", "AQAB", member, "x")), member);
        }
        assertEquals(ProofViolation.NOT_A_PUBLIC_KEY, ProofRules.publicKeyOnly(Map.of("kty", "oct", "k", "c2VjcmV0")));
        assertEquals(ProofViolation.NOT_A_PUBLIC_KEY, ProofRules.publicKeyOnly(Map.of("kty", "OKP", "x", "x")));
        assertEquals(ProofViolation.NOT_A_PUBLIC_KEY, ProofRules.publicKeyOnly("{\"kty\":\"EC\"}"));
        assertEquals(ProofViolation.NOT_A_PUBLIC_KEY, ProofRules.publicKeyOnly(null));
    }

    @Test
    void keyFitsAlgorithm() throws Exception {
        PublicJsonWebKey p256 = PublicJsonWebKey.Factory.newPublicJwk(ec("secp256r1").getPublic());
        PublicJsonWebKey p384 = PublicJsonWebKey.Factory.newPublicJwk(ec("secp384r1").getPublic());
        PublicJsonWebKey rsa2048 = PublicJsonWebKey.Factory.newPublicJwk(rsa(2048).getPublic());
        assertNull(ProofRules.keyFitsAlgorithm(p256, "ES256"));
        assertNull(ProofRules.keyFitsAlgorithm(p384, "ES384"));
        assertNull(ProofRules.keyFitsAlgorithm(rsa2048, "RS256"));
        assertNull(ProofRules.keyFitsAlgorithm(rsa2048, "PS512"));
        assertEquals(ProofViolation.KEY_DOES_NOT_FIT, ProofRules.keyFitsAlgorithm(p384, "ES256"));
        assertEquals(ProofViolation.KEY_DOES_NOT_FIT, ProofRules.keyFitsAlgorithm(p256, "ES512"));
        assertEquals(ProofViolation.KEY_DOES_NOT_FIT, ProofRules.keyFitsAlgorithm(p256, "RS256"));
        assertEquals(ProofViolation.KEY_DOES_NOT_FIT, ProofRules.keyFitsAlgorithm(rsa2048, "ES256"));
        assertEquals(ProofViolation.KEY_DOES_NOT_FIT,
                ProofRules.keyFitsAlgorithm(PublicJsonWebKey.Factory.newPublicJwk(rsa(1024).getPublic()), "RS256"));
    }

    @Test
    void anEcKeyMustBeOnItsCurve() throws Exception {
        java.security.interfaces.ECPublicKey key = (java.security.interfaces.ECPublicKey) ec("secp256r1").getPublic();
        BigInteger p = ((java.security.spec.ECFieldFp) key.getParams().getCurve().getField()).getP();
        BigInteger x = key.getW().getAffineX();
        BigInteger y = key.getW().getAffineY();
        assertEquals(true, ProofRules.onCurve(key));
        assertEquals(true, ProofRules.onCurve(ecKey(key, x, p.subtract(y))), "the point's negation is on it too");
        assertEquals(false, ProofRules.onCurve(ecKey(key, x, y.add(BigInteger.ONE).mod(p))));
        assertEquals(false, ProofRules.onCurve(ecKey(key, BigInteger.ZERO, BigInteger.ZERO)), "(0, 0)");
        assertEquals(ProofViolation.KEY_DOES_NOT_FIT, ProofRules.keyFitsAlgorithm(
                PublicJsonWebKey.Factory.newPublicJwk(ecKey(key, x, y.add(BigInteger.ONE).mod(p))), "ES256"));
    }

    /** A key of the same curve at (x, y), which the JDK's key factory takes whether or not it is on the curve. */
    private static java.security.interfaces.ECPublicKey ecKey(java.security.interfaces.ECPublicKey like, BigInteger x,
            BigInteger y) throws Exception {
        return (java.security.interfaces.ECPublicKey) java.security.KeyFactory.getInstance("EC").generatePublic(
                new java.security.spec.ECPublicKeySpec(new java.security.spec.ECPoint(x, y), like.getParams()));
    }

    @Test
    void anRsaKeyWithAHugeExponentDoesNotFit() throws Exception {
        RSAPublicKey key = (RSAPublicKey) rsa(2048).getPublic();
        RSAPublicKey huge = (RSAPublicKey) java.security.KeyFactory.getInstance("RSA").generatePublic(
                new RSAPublicKeySpec(key.getModulus(), BigInteger.ONE.shiftLeft(2000).add(BigInteger.ONE)));
        assertEquals(ProofViolation.KEY_DOES_NOT_FIT,
                ProofRules.keyFitsAlgorithm(PublicJsonWebKey.Factory.newPublicJwk(huge), "RS256"));
    }

    @Test
    void requiredClaims() {
        assertNull(ProofRules.requiredClaims("id", "GET", "https://a/r", 1L, "hash"));
        assertEquals(ProofViolation.MISSING_CLAIM, ProofRules.requiredClaims(null, "GET", "https://a/r", 1L, "hash"));
        assertEquals(ProofViolation.MISSING_CLAIM, ProofRules.requiredClaims("", "GET", "https://a/r", 1L, "hash"));
        assertEquals(ProofViolation.MISSING_CLAIM, ProofRules.requiredClaims("j".repeat(257), "GET", "https://a/r", 1L, "h"));
        assertEquals(ProofViolation.MISSING_CLAIM, ProofRules.requiredClaims(7L, "GET", "https://a/r", 1L, "hash"));
        assertEquals(ProofViolation.MISSING_CLAIM, ProofRules.requiredClaims("id", null, "https://a/r", 1L, "hash"));
        assertEquals(ProofViolation.MISSING_CLAIM, ProofRules.requiredClaims("id", "GET", null, 1L, "hash"));
        assertEquals(ProofViolation.MISSING_CLAIM, ProofRules.requiredClaims("id", "GET", "https://a/r", "1", "hash"));
        assertEquals(ProofViolation.MISSING_CLAIM, ProofRules.requiredClaims("id", "GET", "https://a/r", 1L, null));
        assertEquals(ProofViolation.MISSING_CLAIM, ProofRules.requiredClaims("id", List.of("GET"), "https://a/r", 1L, "h"));
    }

    @Test
    void methodMatches() {
        assertNull(ProofRules.methodMatches("GET", "GET"));
        assertEquals(ProofViolation.WRONG_METHOD, ProofRules.methodMatches("get", "GET"));
        assertEquals(ProofViolation.WRONG_METHOD, ProofRules.methodMatches("POST", "GET"));
    }

    @Test
    void uriMatches() {
        assertNull(ProofRules.uriMatches("https://API.example:443/r?q#f", "https://api.example/r?other"));
        assertEquals(ProofViolation.WRONG_URI, ProofRules.uriMatches("https://api.example/s", "https://api.example/r"));
        assertEquals(ProofViolation.WRONG_URI, ProofRules.uriMatches("/r", "https://api.example/r"));
        assertEquals(ProofViolation.WRONG_URI, ProofRules.uriMatches("x", "not a uri"), "nothing matches no URI");
        assertEquals(ProofViolation.WRONG_URI, ProofRules.uriMatches("x", "x"), "not even itself");
        assertNull(ProofRules.uriMatches("https://api.example/r", "https://api.example/r"));
    }

    @Test
    void issuedWithinWindow() {
        long now = 1_800_000_000L;
        assertNull(ProofRules.issuedWithinWindow(now, now, 60));
        assertNull(ProofRules.issuedWithinWindow(now - 60, now, 60));
        assertNull(ProofRules.issuedWithinWindow(now + 60, now, 60));
        assertNull(ProofRules.issuedWithinWindow(now + 0.5, now, 60), "fractional seconds are numbers too");
        assertEquals(ProofViolation.NOT_FRESH, ProofRules.issuedWithinWindow(now - 61, now, 60));
        assertEquals(ProofViolation.NOT_FRESH, ProofRules.issuedWithinWindow(now + 61, now, 60));
        assertEquals(ProofViolation.NOT_FRESH, ProofRules.issuedWithinWindow(Double.NaN, now, 60));
        assertEquals(ProofViolation.NOT_FRESH, ProofRules.issuedWithinWindow(Long.MIN_VALUE, now, 60));
    }

    @Test
    void tokenHashMatches() {
        // RFC 9449 section 7.1's example: the token and its ath.
        String token = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU";
        assertEquals("fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo", ProofRules.tokenHash(token));
        assertNull(ProofRules.tokenHashMatches("fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo", token));
        assertEquals(ProofViolation.WRONG_TOKEN_HASH,
                ProofRules.tokenHashMatches("fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo=", token));
        assertEquals(ProofViolation.WRONG_TOKEN_HASH, ProofRules.tokenHashMatches("", token));
    }
}
