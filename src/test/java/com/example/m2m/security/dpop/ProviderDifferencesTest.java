package com.example.m2m.security.dpop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.example.m2m.security.crypto.FastProvider;
import com.example.m2m.security.crypto.SignatureProviders;
import com.example.m2m.testsupport.SignatureForms;
import com.example.m2m.testsupport.TokenForge;
import com.github.benmanes.caffeine.cache.Ticker;

import io.vertx.core.json.JsonObject;

/**
 * The cases where signature providers are known to differ (issue 25), under each provider the service may verify
 * DPoP proofs with: the answer must be the same under every one. High S is accepted (RFC 7518 does not forbid it,
 * and a second form of a proof's signature gains nothing: the replay check is by key and jti, not by signature);
 * every other form than exactly R || S, or exactly the modulus' length for RSA, is refused, as are off-curve keys.
 */
class ProviderDifferencesTest {

    private static final long NOW = 1_800_000_000L;
    private static final String URI = "https://api.example/api/messages";
    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjYWxsZXIifQ.c2ln";
    private static final BigInteger P256_P = new BigInteger(
            "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 16);

    private static KeyPair ec256;
    private static KeyPair ec384;
    private static KeyPair ec521;
    private static KeyPair rsa;

    /** Under test: each fast provider alone, and the JDK's. */
    enum Under {
        JDK(List.of()), BC(List.of(FastProvider.BC)), ACCP(List.of(FastProvider.ACCP));

        final List<FastProvider> candidates;

        Under(List<FastProvider> candidates) {
            this.candidates = candidates;
        }
    }

    @BeforeAll
    static void keys() throws Exception {
        ec256 = ec("secp256r1");
        ec384 = ec("secp384r1");
        ec521 = ec("secp521r1");
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        rsa = generator.generateKeyPair();
    }

    private static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    private static DpopProofs proofs(Under under) {
        SignatureProviders providers = new SignatureProviders(under.candidates);
        // The provider under test really is the one verifying (this machine loads each; production falls back).
        assertEquals(under == Under.JDK ? "JDK" : under.candidates.get(0).providerName(), providers.chosen());
        Clock clock = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
        return new DpopProofs(new ReplayCache(1_000, 60, clock, Ticker.disabledTicker()), providers, 60, clock);
    }

    private static JsonObject header(String alg, KeyPair key) {
        return new JsonObject().put("typ", "dpop+jwt").put("alg", alg).put("jwk", TokenForge.publicJwk(key));
    }

    private static String proof(JsonObject header, KeyPair key) {
        JsonObject claims = new JsonObject().put("jti", UUID.randomUUID().toString()).put("htm", "GET").put("htu", URI)
                .put("iat", NOW).put("ath", ProofRules.tokenHash(TOKEN));
        return TokenForge.signJose(header.encode(), claims.encode(), key.getPrivate());
    }

    private static String es256() {
        return proof(header("ES256", ec256), ec256);
    }

    private static ProofViolation verdict(DpopProofs proofs, String proof) {
        return proofs.check(proof, "GET", URI, TOKEN).violation();
    }

    @ParameterizedTest
    @EnumSource(Under.class)
    void validProofsOfEveryAlgorithmAreAccepted(Under under) {
        DpopProofs proofs = proofs(under);
        assertNull(verdict(proofs, es256()), "ES256");
        assertNull(verdict(proofs, proof(header("ES384", ec384), ec384)), "ES384");
        assertNull(verdict(proofs, proof(header("ES512", ec521), ec521)), "ES512");
        for (String alg : List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512")) {
            assertNull(verdict(proofs, proof(header(alg, rsa), rsa)), alg);
        }
    }

    @ParameterizedTest
    @EnumSource(Under.class)
    void bothFormsOfAnEcdsaSignatureAreAccepted(Under under) {
        DpopProofs proofs = proofs(under);
        String proof = es256();
        assertNull(verdict(proofs, SignatureForms.highS(proof)), "high S");
        assertNull(verdict(proofs, SignatureForms.otherS(SignatureForms.highS(proof))), "low S");
    }

    @ParameterizedTest
    @EnumSource(Under.class)
    void rAndSWithLeadingZerosAreAcceptedAtTheirFixedWidthOnly(Under under) {
        DpopProofs proofs = proofs(under);
        String proof = SignatureForms.until(SignatureForms::rOrSLeadingZero, ProviderDifferencesTest::es256);
        assertNull(verdict(proofs, proof), "R or S with a leading zero byte, 32 bytes each");
        assertEquals(ProofViolation.BAD_SIGNATURE, verdict(proofs, SignatureForms.minimalRS(proof)),
                "the zero bytes dropped: 63 bytes");
        // Both R and S with a zero byte: 62 bytes without them, which jose4j splits into the right halves and the
        // JDK's provider then verifies; refused all the same (RFC 7518 section 3.4: 32 bytes each).
        String both = SignatureForms.es256WithZeroLeadingRAndS((java.security.interfaces.ECPrivateKey) ec256.getPrivate(),
                i -> TokenForge.b64(header("ES256", ec256).encode()) + "." + TokenForge.b64(new JsonObject()
                        .put("jti", "zeros-" + i).put("htm", "GET").put("htu", URI).put("iat", NOW)
                        .put("ath", ProofRules.tokenHash(TOKEN)).encode()));
        assertNull(verdict(proofs, both), "R and S with a leading zero byte each, 32 bytes each");
        assertEquals(ProofViolation.BAD_SIGNATURE, verdict(proofs, SignatureForms.minimalRS(both)),
                "the zero bytes dropped: 62 bytes");
    }

    @ParameterizedTest
    @EnumSource(Under.class)
    void es256SignaturesOfAnotherLengthOrFormAreRefused(Under under) {
        DpopProofs proofs = proofs(under);
        String proof = es256();
        byte[] raw = SignatureForms.signature(proof);
        assertEquals(ProofViolation.BAD_SIGNATURE, verdict(proofs, SignatureForms.der(proof)), "DER");
        assertEquals(ProofViolation.BAD_SIGNATURE, verdict(proofs, SignatureForms.zeroPadded(proof, 1)), "65 bytes");
        assertEquals(ProofViolation.BAD_SIGNATURE,
                verdict(proofs, SignatureForms.withSignature(proof, java.util.Arrays.copyOf(raw, 63))), "63 bytes");
        assertEquals(ProofViolation.BAD_SIGNATURE,
                verdict(proofs, SignatureForms.withSignature(proof, java.util.Arrays.copyOf(raw, 66))), "66 bytes");
        assertEquals(ProofViolation.BAD_SIGNATURE, verdict(proofs, SignatureForms.withSignature(proof, new byte[0])),
                "empty");
        assertEquals(ProofViolation.BAD_SIGNATURE, verdict(proofs, SignatureForms.withSignature(proof, new byte[64])),
                "r = s = 0");
        byte[] nAndN = new byte[64];
        byte[] order = SignatureForms.P256_ORDER.toByteArray();
        System.arraycopy(order, order.length - 32, nAndN, 0, 32);
        System.arraycopy(order, order.length - 32, nAndN, 32, 32);
        assertEquals(ProofViolation.BAD_SIGNATURE, verdict(proofs, SignatureForms.withSignature(proof, nAndN)),
                "r = s = n");
    }

    @ParameterizedTest
    @EnumSource(Under.class)
    void offCurveKeysAreRefused(Under under) {
        DpopProofs proofs = proofs(under);
        JsonObject jwk = TokenForge.publicJwk(ec256);
        BigInteger x = coordinate(jwk, "x");
        BigInteger y = coordinate(jwk, "y");
        Map<String, JsonObject> keys = Map.of(
                "(0, 0), the usual stand-in for the point at infinity", jwk.copy().put("x", b64(BigInteger.ZERO, 32))
                        .put("y", b64(BigInteger.ZERO, 32)),
                "y + 1", jwk.copy().put("y", b64(y.add(BigInteger.ONE).mod(P256_P), 32)));
        // Signed by the real key: only the key differs. Without the check, the JDK's provider answered
        // BAD_SIGNATURE and Bouncy Castle's refused the key: the same answer now, whichever verifies.
        keys.forEach((name, key) -> assertEquals(ProofViolation.KEY_DOES_NOT_FIT,
                verdict(proofs, proof(header("ES256", ec256).put("jwk", key), ec256)), name));
        assertEquals(ProofViolation.MALFORMED, verdict(proofs, proof(header("ES256", ec256)
                .put("jwk", TokenForge.publicJwk(ec384).put("crv", "P-256")), ec256)),
                "P-384 coordinates named P-256 (jose4j refuses their length)");
        assertEquals(ProofViolation.MALFORMED, verdict(proofs, proof(header("ES256", ec256)
                .put("jwk", jwk.copy().put("x", b64(x.add(P256_P), 33))), ec256)),
                "x + p: on the curve modulo p, not reduced (33 bytes, jose4j refuses their length)");
    }

    @ParameterizedTest
    @EnumSource(Under.class)
    void rsaSignaturesOfAnotherLengthThanTheModulusAreRefused(Under under) {
        DpopProofs proofs = proofs(under);
        String proof = SignatureForms.until(SignatureForms::leadingZero, () -> proof(header("RS256", rsa), rsa));
        assertNull(verdict(proofs, proof), "a valid signature whose value has a leading zero byte, 256 bytes");
        assertEquals(ProofViolation.BAD_SIGNATURE, verdict(proofs, SignatureForms.stripped(proof)),
                "the same without its leading zero byte: 255 bytes (Bouncy Castle alone would take it)");
        assertEquals(ProofViolation.BAD_SIGNATURE, verdict(proofs, SignatureForms.zeroPadded(proof, 1)),
                "a zero byte before it: 257 bytes");
    }

    private static BigInteger coordinate(JsonObject jwk, String name) {
        return new BigInteger(1, Base64.getUrlDecoder().decode(jwk.getString(name)));
    }

    private static String b64(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(bytes.length, length);
        System.arraycopy(bytes, bytes.length - copy, out, length - copy, copy);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }
}
