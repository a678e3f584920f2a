package com.example.m2m.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The caller's and the registrar's private_key_jwt key files: what is accepted, what it says about the key. */
class ClientKeyFileTest {

    private static final String PEM = "src/test/keycloak/keyed-client.pem";
    private static final String JWK = "src/test/keycloak/registrar-key.jwk.json";

    private static String file(String content) throws Exception {
        return Files.writeString(Files.createTempFile("key", ".txt"), content).toString();
    }

    @Test
    void anRsaPemSignsRs256AndNamesNoKid() {
        assertEquals(new ClientKeyFile("RS256", null), ClientKeyFile.read("TEST_CLIENT_KEY_FILE", PEM));
    }

    @Test
    void aPrivateEcJwkSignsEs256UnderItsKid() {
        assertEquals(new ClientKeyFile("ES256", "registrar-1"), ClientKeyFile.read("TEST_CLIENT_KEY_FILE", JWK));
    }

    @Test
    void anEcPemWithoutAlgorithmGetsTheCurvesAlgorithm() throws Exception {
        String jwk = Files.readString(Path.of(JWK)).replace("\"alg\": \"ES256\",", "");
        assertNull(new com.fasterxml.jackson.databind.ObjectMapper().readTree(jwk).get("alg"));
        assertEquals("ES256", ClientKeyFile.read("X", file(jwk)).algorithm());
    }

    @Test
    void aPublicJwkIsRefusedNamingTheSetting() throws Exception {
        String publicOnly = Files.readString(Path.of(JWK)).replaceAll(",\\s*\"d\": \"[^\"]+\"", "");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ClientKeyFile.read("REGISTRAR_CLIENT_KEY_FILE", file(publicOnly)));
        assertTrue(refused.getMessage().startsWith("REGISTRAR_CLIENT_KEY_FILE must be a readable file holding a private key"),
                refused.getMessage());
    }

    @Test
    void aPublicKeyPemTextAMissingFileADeviceAHugeFileOrADirectoryIsRefused() throws Exception {
        String publicPem = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n";
        String huge = file("x".repeat((int) ClientKeyFile.MAX_BYTES + 1));
        String directory = Files.createTempDirectory("keys").toString();
        for (String path : new String[] { file(publicPem), file("hello"), file(""), "/nonexistent/key.pem", "/dev/zero",
                huge, directory }) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> ClientKeyFile.read("TEST_CLIENT_KEY_FILE", path));
            assertTrue(refused.getMessage().startsWith("TEST_CLIENT_KEY_FILE must"), refused.getMessage());
            assertEquals(1, refused.getMessage().lines().count());
        }
    }

    // ---- the caller's DPoP key pair (TEST_CLIENT_DPOP_KEY_FILE) ----

    @Test
    void aDpopKeyPairFromAPrivateJwkOrAnRsaPemHasBothHalves() {
        for (String path : new String[] { JWK, PEM }) {
            org.jose4j.jwk.PublicJsonWebKey pair = ClientKeyFile.keyPair("TEST_CLIENT_DPOP_KEY_FILE", path);
            assertTrue(pair.getPrivateKey() != null && pair.getPublicKey() != null, path);
        }
        assertEquals("RSA", ClientKeyFile.keyPair("X", PEM).getKeyType());
    }

    @Test
    void aDpopKeyFileWithoutAPairIsRefusedNamingTheSetting() throws Exception {
        java.security.KeyPairGenerator ec = java.security.KeyPairGenerator.getInstance("EC");
        ec.initialize(256);
        String ecPem = "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(
                ec.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        String publicOnly = Files.readString(Path.of(JWK)).replaceAll(",\\s*\"d\": \"[^\"]+\"", "");
        for (String path : new String[] { file(ecPem), file(publicOnly), file("hello"), "/nonexistent/key.json" }) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> ClientKeyFile.keyPair("TEST_CLIENT_DPOP_KEY_FILE", path));
            assertTrue(refused.getMessage().startsWith("TEST_CLIENT_DPOP_KEY_FILE must be a readable file holding a"
                    + " private key pair"), refused.getMessage());
            assertEquals(1, refused.getMessage().lines().count());
        }
    }
}
