package com.example.m2m.security.rules;

import static com.example.m2m.testsupport.TokenForge.b64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwx.JsonWebStructure;
import org.junit.jupiter.api.Test;

import com.example.m2m.security.KeyThumbprint;
import com.example.m2m.security.PublishedKeys;
import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.TokenForge;

class KeyAlgorithmTest {

    private static final LocalIssuer.SigningKey KEY = LocalIssuer.newKey("key-1");

    /** The rule's verdict on a token with the given header alg, verified (as jose4j leaves it) with KEY. */
    private static RuleViolation verdict(String published, String alg, String javaAlgorithm) throws Exception {
        PublishedKeys keys = new PublishedKeys() {
            @Override
            public String declaredAlgorithm(String thumbprint) {
                return KeyThumbprint.of(KEY.pair().getPublic()).equals(thumbprint) ? published : null;
            }
        };
        KeyAlgorithm rule = new KeyAlgorithm();
        rule.publishedKeys = keys;
        String compact = TokenForge.signEncoded(b64("{\"alg\":\"" + alg + "\"}"), b64("{\"sub\":\"caller\"}"),
                KEY.pair().getPrivate(), javaAlgorithm);
        JsonWebSignature jws = (JsonWebSignature) JsonWebStructure.fromCompactSerialization(compact);
        jws.setKey(KEY.pair().getPublic());
        return RuleViolation.fromMarker(rule.validate(new JwtContext(compact,
                JwtClaims.parse(jws.getUnverifiedPayload()), List.of(jws))));
    }

    @Test
    void theAlgorithmTheKeyIsPublishedForPasses() throws Exception {
        assertNull(verdict("RS256", "RS256", "SHA256withRSA"));
        assertNull(verdict("RS512", "RS512", "SHA512withRSA"));
    }

    @Test
    void anotherAlgorithmWithTheSameKeyIsRefused() throws Exception {
        assertEquals(RuleViolation.WRONG_ALGORITHM_FOR_KEY, verdict("RS256", "RS512", "SHA512withRSA"));
        assertEquals(RuleViolation.WRONG_ALGORITHM_FOR_KEY, verdict("RS256", "PS256", "RSASSA-PSS"));
        assertEquals(RuleViolation.WRONG_ALGORITHM_FOR_KEY, verdict("RSA-OAEP", "RS256", "SHA256withRSA"));
    }

    /** Entra ID publishes its keys without alg: an RSA key then verifies RS256 only, never RS512 or PS256. */
    @Test
    void aKeyPublishedWithoutAlgVerifiesTheAlgorithmItsTypeImplies() throws Exception {
        assertNull(verdict("", "RS256", "SHA256withRSA"));
        assertEquals(RuleViolation.WRONG_ALGORITHM_FOR_KEY, verdict("", "RS512", "SHA512withRSA"));
        assertEquals(RuleViolation.WRONG_ALGORITHM_FOR_KEY, verdict("", "PS256", "RSASSA-PSS"));
    }

    @Test
    void theImpliedAlgorithmFollowsTheKeyTypeAndCurve() throws Exception {
        assertEquals("RS256", KeyAlgorithm.impliedAlgorithm(KEY.pair().getPublic()));
        for (var curve : java.util.Map.of("secp256r1", "ES256", "secp384r1", "ES384", "secp521r1", "ES512").entrySet()) {
            var generator = java.security.KeyPairGenerator.getInstance("EC");
            generator.initialize(new java.security.spec.ECGenParameterSpec(curve.getKey()));
            assertEquals(curve.getValue(), KeyAlgorithm.impliedAlgorithm(generator.generateKeyPair().getPublic()));
        }
    }

    @Test
    void aKeyNotInTheLastKeySetIsLeftToTheSignatureCheck() throws Exception {
        assertNull(verdict(null, "PS256", "RSASSA-PSS"));
    }
}
