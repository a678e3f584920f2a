package com.example.m2m.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.OctJwkGenerator;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.keys.EllipticCurves;
import org.junit.jupiter.api.Test;

/** The public keys a private_key_jwt client may be registered with (RegistrationRules.keys, ClientKeys). */
class ClientKeysTest {

    private final RegistrationRules rules = new RegistrationRules(List.of("read:messages"));

    private static Map<String, Object> set(Map<String, Object>... keys) {
        return Map.of("keys", List.of(keys));
    }

    private static Map<String, Object> rsa(int bits, JsonWebKey.OutputControlLevel level) throws Exception {
        return RsaJwkGenerator.generateJwk(bits).toParams(level);
    }

    private static Map<String, Object> ec() throws Exception {
        return EcJwkGenerator.generateJwk(EllipticCurves.P256).toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    private String refusal(Map<String, Object> jwks, String jwksUri) {
        return assertThrows(RegistrationRules.Refusal.class,
                () -> rules.keys(new NewClientRequest("x", List.of("read:messages"), jwks, jwksUri))).getMessage();
    }

    @Test
    void noKeysIsAClientWithASecret() {
        assertNull(rules.keys(new NewClientRequest("x", List.of("read:messages"))));
    }

    @Test
    void publicRsaAndEcSigningKeysAreRegisteredAsGiven() throws Exception {
        Map<String, Object> rsa = rsa(2048, JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        Map<String, Object> ec = ec();
        ec.put("use", "sig");
        ClientKeys keys = rules.keys(new NewClientRequest("x", List.of("read:messages"), set(rsa, ec), null));
        Map<String, Object> rsaForSigning = new HashMap<>(rsa);
        rsaForSigning.put("use", "sig"); // added where absent: Keycloak ignores client keys without it
        assertEquals(List.of(rsaForSigning, ec), keys.jwks().get("keys"));
        assertNull(keys.jwksUri());
    }

    @Test
    void anHttpsJwksUriIsTaken() {
        assertEquals("https://batch.example/jwks.json",
                rules.keys(new NewClientRequest("x", List.of("read:messages"), null, "https://batch.example/jwks.json"))
                        .jwksUri());
    }

    @Test
    void aPrivateKeyIsRefusedAndNotEchoed() throws Exception {
        Map<String, Object> privateKey = rsa(2048, JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE);
        String refusal = refusal(set(privateKey), null);
        assertEquals("jwks holds a private or symmetric key: send the public key only", refusal);
        assertFalse(refusal.contains((String) privateKey.get("d")));
    }

    @Test
    void symmetricWeakOddAndMalformedKeysAreRefused() throws Exception {
        Map<String, Object> oct = OctJwkGenerator.generateJwk(256).toParams(JsonWebKey.OutputControlLevel.INCLUDE_SYMMETRIC);
        assertEquals("jwks holds a private or symmetric key: send the public key only", refusal(set(oct), null));
        assertEquals("jwks RSA keys must be 2048 bits or more",
                refusal(set(rsa(1024, JsonWebKey.OutputControlLevel.PUBLIC_ONLY)), null));
        Map<String, Object> encryption = new HashMap<>(ec());
        encryption.put("use", "enc");
        assertEquals("jwks keys must be for signing (use \"sig\")", refusal(set(encryption), null));
        Map<String, Object> secp256k1 = new HashMap<>(ec());
        secp256k1.put("crv", "secp256k1");
        assertEquals("jwks EC keys must be on P-256, P-384 or P-521", refusal(set(secp256k1), null));
        assertEquals("jwks holds a key that is not a valid JWK", refusal(set(Map.of("kty", "RSA", "n", "AQAB")), null));
        assertEquals("jwks must be a JWK set: {\"keys\": [1 to 10 keys]}", refusal(Map.of("keys", List.of()), null));
        assertEquals("jwks must be a JWK set: {\"keys\": [1 to 10 keys]}", refusal(ec(), null));
        assertEquals("jwks.keys must hold JSON objects", refusal(Map.of("keys", List.of("key")), null));
    }

    @Test
    void jwksAndJwksUriTogetherOrAPlainHttpUriAreRefused() throws Exception {
        assertEquals("give jwks or jwks_uri, not both", refusal(set(ec()), "https://batch.example/jwks.json"));
        assertEquals("jwks_uri must be an https URL", refusal(null, "http://batch.example/jwks.json"));
        assertEquals("jwks_uri must be an https URL", refusal(null, "https://"));
    }
}
