package com.example.m2m.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.Keycloak;
import com.example.m2m.testsupport.KeycloakResource;
import com.example.m2m.testsupport.PackagedService;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;

/**
 * The caller a person runs by hand ({@code java -jar target/quarkus-app/quarkus-run.jar call}, or the native
 * executable's {@code call}), against the packaged service and the real Keycloak: its answer, its clear errors, and discovery of the issuer from the API's URL alone.
 */
@QuarkusIntegrationTest
@Tag(PackagedService.TAG)
@WithTestResource(KeycloakResource.class)
class CallCommandIT {


    /** A run of the caller: its exit code, what it wrote to stdout (the answer) and to stderr (diagnostics). */
    record Run(int exitCode, String stdout, String stderr) {
        String output() {
            return stdout + stderr;
        }
    }

    private Run call(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("call"));
        command.addAll(List.of(args));
        Path dir = Files.createTempDirectory("caller");
        ProcessBuilder builder = new ProcessBuilder(PackagedService.command(command.toArray(String[]::new))).directory(dir.toFile())
                .redirectError(dir.resolve("stderr").toFile());
        builder.environment().keySet().removeAll(List.of("ISSUER", "AUDIENCE", "TRUSTED_ISSUERS", "TEST_CLIENT_ID", "TEST_CLIENT_SECRET",
                "TEST_CLIENT_KEY_FILE", "TEST_CLIENT_KEY_ID", "API_URL", "DEFAULT_SCOPE", "TEST_CLIENT_DPOP",
                "TEST_CLIENT_DPOP_KEY_FILE"));
        builder.environment().put("API_URL", "http://127.0.0.1:" + RestAssured.port);
        builder.environment().putAll(env);
        Process process = builder.start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(90, TimeUnit.SECONDS), "the caller did not finish");
        return new Run(process.exitValue(), stdout, Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8));
    }

    /** The caller's credentials, and the trusted issuer that --discover may pick. */
    private static Map<String, String> credentials(String secret) {
        return Map.of("TEST_CLIENT_ID", Keycloak.TEST_CLIENT_ID, "TEST_CLIENT_SECRET", secret,
                "TRUSTED_ISSUERS", Keycloak.issuer());
    }

    @Test
    void discoversTheIssuerFromTheApiUrlAndGetsHelloWorld() throws Exception {
        Run run = call(credentials(Keycloak.TEST_CLIENT_SECRET), "--discover");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("\"Hello World!\""), run.output());
    }

    @Test
    void discoveryOfAnIssuerNobodyTrustsStopsBeforeSendingAnything() throws Exception {
        Run run = call(Map.of("TEST_CLIENT_ID", Keycloak.TEST_CLIENT_ID, "TEST_CLIENT_SECRET",
                Keycloak.TEST_CLIENT_SECRET, "TRUSTED_ISSUERS", "https://other.example/realms/m2m"), "--discover");
        assertEquals(5, run.exitCode(), run.output());
        assertTrue(run.output().contains("names the authorization server " + Keycloak.issuer()), run.output());
        assertTrue(run.output().contains("ISSUER=" + Keycloak.issuer()), run.output());
    }

    @Test
    void callsAnEndpointByPathWithAnExplicitIssuer() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(credentials(Keycloak.TEST_CLIENT_SECRET));
        env.put("ISSUER", Keycloak.issuer());
        Run run = call(env, "/api/whoami");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains(Keycloak.TEST_CLIENT_ID), run.output());
    }

    // ---- call --check against the real Keycloak (the providers' imitations: check/SetupCheckIT) ----

    /** The README's Keycloak settings, the service's and the caller's. */
    private static Map<String, String> keycloakRow(String clientId, String secret) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("ISSUER", Keycloak.issuer(), "AUDIENCE",
                Keycloak.AUDIENCE, "TEST_CLIENT_ID", clientId));
        if (secret != null) {
            env.put("TEST_CLIENT_SECRET", secret);
        }
        return env;
    }

    @Test
    void theCheckPassesWithTheReadmeKeycloakSettings() throws Exception {
        Run run = call(keycloakRow(Keycloak.TEST_CLIENT_ID, Keycloak.TEST_CLIENT_SECRET), "--check");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.stdout().contains("PASS: the caller is served on GET /"), run.output());
        assertTrue(run.stdout().contains("ok    signature"), run.output());
        assertTrue(run.stdout().contains("ok    audience       aud"), run.output());
        assertFalse(run.output().contains(Keycloak.TEST_CLIENT_SECRET), run.output());
        assertFalse(run.output().contains("eyJ"), "never a token: " + run.output());
    }

    @Test
    void theCheckOfADpopCallerWithAPrivateKeyPrintsNoKeyNoProofNoAssertion() throws Exception {
        Map<String, String> env = keycloakRow(Keycloak.KEYED_CLIENT_ID, null);
        env.putAll(Map.of("TEST_CLIENT_KEY_FILE", Keycloak.KEYED_CLIENT_KEY_FILE, "TEST_CLIENT_KEY_ID",
                Keycloak.KEYED_CLIENT_KEY_ID));
        Run run = call(env, "--check", "--json");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(new io.vertx.core.json.JsonObject(run.stdout()).getBoolean("served"), run.output());
        assertFalse(run.output().contains("eyJ"), "no assertion, no token: " + run.output());
        String pem = Files.readString(Path.of(Keycloak.KEYED_CLIENT_KEY_FILE));
        pem.lines().filter(line -> !line.startsWith("-----") && line.length() > 20)
                .forEach(line -> assertFalse(run.output().contains(line), "the private key: " + run.output()));

        Run dpop = call(keycloakRow(Keycloak.DPOP_CLIENT_ID, Keycloak.DPOP_CLIENT_SECRET), "--check");
        assertEquals(1, dpop.exitCode(), "a client that must use DPoP, without TEST_CLIENT_DPOP: " + dpop.output());
        Map<String, String> withDpop = keycloakRow(Keycloak.DPOP_CLIENT_ID, Keycloak.DPOP_CLIENT_SECRET);
        withDpop.put("TEST_CLIENT_DPOP", "true");
        Run bound = call(withDpop, "--check");
        assertEquals(0, bound.exitCode(), bound.output());
        assertFalse(bound.output().contains("eyJ"), "no proof, no token: " + bound.output());
    }

    @Test
    void theCheckNamesAScopeKeycloakNeverGrantedTheClient() throws Exception {
        Map<String, String> env = keycloakRow(Keycloak.TEST_CLIENT_ID, Keycloak.TEST_CLIENT_SECRET);
        env.put("DEFAULT_SCOPE", "reports:export");
        Run run = call(env, "--check");
        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.stdout().contains("invalid_scope"), run.output());
        assertTrue(run.stdout().lines().anyMatch(line -> line.contains("-> ") && line.contains("DEFAULT_SCOPE")),
                run.output());
    }

    @Test
    void theCheckNamesAnAudienceKeycloakDoesNotPutInTheToken() throws Exception {
        Map<String, String> env = keycloakRow(Keycloak.TEST_CLIENT_ID, Keycloak.TEST_CLIENT_SECRET);
        env.put("AUDIENCE", "https://api.example.com");
        Run run = call(env, "--check");
        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.stdout().contains("FAIL  audience"), run.output());
        assertTrue(run.stdout().lines().anyMatch(line -> line.contains("-> set AUDIENCE")
                && line.contains(Keycloak.AUDIENCE)), run.output());
        assertTrue(run.stdout().contains("The token is not meant for this API (audience)"), "the service's own"
                + " refusal: " + run.output());
    }

    @Test
    void aWrongSecretIsAClearError() throws Exception {
        Run run = call(credentials("wrong-secret"), "--discover");
        assertEquals(2, run.exitCode(), run.output());
        assertTrue(run.output().contains("No token from the authorization server"), run.output());
        assertTrue(!run.output().contains("wrong-secret"), "the secret is not echoed: " + run.output());
    }

    @Test
    void aRefusalShowsTheApisAnswer() throws Exception {
        Run run = call(credentials(Keycloak.TEST_CLIENT_SECRET), "--discover", "/api/messages/admin");
        assertEquals(3, run.exitCode(), run.output());
        assertTrue(run.output().contains("403"), run.output());
        assertTrue(run.output().contains("insufficient_scope"), run.output());
    }

    @Test
    void anUnreachableApiIsAClearError() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(credentials(Keycloak.TEST_CLIENT_SECRET));
        env.put("ISSUER", Keycloak.issuer());
        env.put("API_URL", "http://127.0.0.1:9");
        Run run = call(env);
        assertEquals(4, run.exitCode(), run.output());
        assertTrue(run.output().contains("is not reachable"), run.output());
    }

    @Test
    void stdoutIsTheApisAnswerAloneSoThatItCanBePiped() throws Exception {
        Run run = call(credentials(Keycloak.TEST_CLIENT_SECRET), "--discover");
        assertEquals(0, run.exitCode(), run.output());
        assertEquals("Hello World!", new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.stdout())
                .path("message").asText(), "stdout parses as the API's JSON answer: " + run.stdout());
        assertEquals("", run.stderr(), "quiet unless something is wrong");
    }

    @Test
    void anUnreachableIssuerIsSaidSo() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(credentials(Keycloak.TEST_CLIENT_SECRET));
        env.put("ISSUER", "http://127.0.0.1:9/realms/m2m");
        Run run = call(env);
        assertEquals(4, run.exitCode(), run.output());
        assertTrue(run.stderr().contains("The authorization server at http://127.0.0.1:9/realms/m2m is not reachable"),
                run.output());
        assertFalse(run.output().contains("check TEST_CLIENT_ID"), "not the credentials' fault: " + run.output());
        assertEquals("", run.stdout());
    }

    @Test
    void withoutIssuerTheCallerPointsAtDiscover() throws Exception {
        Run run = call(Map.of("TEST_CLIENT_ID", Keycloak.TEST_CLIENT_ID, "TEST_CLIENT_SECRET",
                Keycloak.TEST_CLIENT_SECRET));
        assertNotEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("ISSUER is not set"), run.output());
        assertTrue(run.output().contains("call --discover"), run.output());
        assertEquals("", run.stdout());
    }

    @Test
    void aCallerWithAPrivateKeyAndNoSecretGetsHelloWorld() throws Exception {
        Run run = call(Map.of("TEST_CLIENT_ID", Keycloak.KEYED_CLIENT_ID, "TEST_CLIENT_KEY_FILE",
                Keycloak.KEYED_CLIENT_KEY_FILE, "TEST_CLIENT_KEY_ID", Keycloak.KEYED_CLIENT_KEY_ID,
                "ISSUER", Keycloak.issuer()), "/api/whoami");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.stdout().contains(Keycloak.KEYED_CLIENT_ID), run.output());
    }

    @Test
    void aPrivateKeyTheIssuerDoesNotKnowGetsNoToken() throws Exception {
        // The registrar's key is a good key, but not the one Keycloak holds for this client.
        Run run = call(Map.of("TEST_CLIENT_ID", Keycloak.KEYED_CLIENT_ID, "TEST_CLIENT_KEY_FILE",
                Keycloak.KEYED_REGISTRAR_KEY_FILE, "ISSUER", Keycloak.issuer()));
        assertEquals(2, run.exitCode(), run.output());
        assertTrue(run.output().contains("No token from the authorization server"), run.output());
    }

    @Test
    void aKeyFileWithoutAPrivateKeyIsOneLineNamingIt() throws Exception {
        Path notAKey = Files.writeString(Files.createTempFile("not-a-key", ".pem"), "hello\n");
        Run run = call(Map.of("TEST_CLIENT_ID", Keycloak.KEYED_CLIENT_ID, "TEST_CLIENT_KEY_FILE", notAKey.toString(),
                "ISSUER", Keycloak.issuer()));
        assertEquals(1, run.exitCode(), run.output());
        assertEquals(1, run.output().lines().count(), run.output());
        assertTrue(run.output().startsWith("TEST_CLIENT_KEY_FILE must be a readable file holding a private key"), run.output());
    }

    @Test
    void aSecretAndAKeyTogetherIsOneLineNamingBoth() throws Exception {
        Run run = call(Map.of("TEST_CLIENT_ID", Keycloak.KEYED_CLIENT_ID, "TEST_CLIENT_KEY_FILE",
                Keycloak.KEYED_CLIENT_KEY_FILE, "TEST_CLIENT_SECRET", "s", "ISSUER", Keycloak.issuer()));
        assertEquals(1, run.exitCode(), run.output());
        assertEquals("TEST_CLIENT_SECRET and TEST_CLIENT_KEY_FILE are both set: a client authenticates with one of them",
                run.output().strip());
    }

    @Test
    void aDpopCallerGetsABoundTokenFromKeycloakAndProvesItsKeyToTheApi() throws Exception {
        Run run = call(Map.of("TEST_CLIENT_ID", Keycloak.DPOP_CLIENT_ID, "TEST_CLIENT_SECRET", Keycloak.DPOP_CLIENT_SECRET,
                "TEST_CLIENT_DPOP", "true", "ISSUER", Keycloak.issuer()), "/api/whoami");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.stdout().contains("\"dpopKey\""), "the API saw a DPoP-bound token: " + run.output());
        assertTrue(run.stdout().contains(Keycloak.DPOP_CLIENT_ID), run.output());
    }

    @Test
    void withoutDpopAClientThatRequiresItGetsNoToken() throws Exception {
        Run run = call(Map.of("TEST_CLIENT_ID", Keycloak.DPOP_CLIENT_ID, "TEST_CLIENT_SECRET", Keycloak.DPOP_CLIENT_SECRET,
                "ISSUER", Keycloak.issuer()), "/api/whoami");
        assertEquals(2, run.exitCode(), run.output());
        assertTrue(run.output().contains("No token from the authorization server"), run.output());
    }

    @Test
    void aCallerWithoutASecretAndWithItsOwnDpopKeyFile() throws Exception {
        // private_key_jwt to get the token, DPoP with the key in a file to use it: no secret, no bearer token.
        Run run = call(Map.of("TEST_CLIENT_ID", Keycloak.KEYED_CLIENT_ID, "TEST_CLIENT_KEY_FILE",
                Keycloak.KEYED_CLIENT_KEY_FILE, "TEST_CLIENT_KEY_ID", Keycloak.KEYED_CLIENT_KEY_ID,
                "TEST_CLIENT_DPOP", "true", "TEST_CLIENT_DPOP_KEY_FILE", Keycloak.KEYED_REGISTRAR_KEY_FILE,
                "ISSUER", Keycloak.issuer()), "/api/whoami");
        assertEquals(0, run.exitCode(), run.output());
        String thumbprint = org.jose4j.jwk.JsonWebKey.Factory.newJwk(Files.readString(Path.of(
                Keycloak.KEYED_REGISTRAR_KEY_FILE))).calculateBase64urlEncodedThumbprint("SHA-256");
        assertTrue(run.stdout().contains("\"dpopKey\" : \"" + thumbprint + "\""), thumbprint + " in " + run.output());
    }

    @Test
    void aDpopKeyFileWithoutAKeyPairIsOneLineNamingIt() throws Exception {
        Run run = call(Map.of("TEST_CLIENT_ID", Keycloak.DPOP_CLIENT_ID, "TEST_CLIENT_SECRET", Keycloak.DPOP_CLIENT_SECRET,
                "TEST_CLIENT_DPOP", "true", "TEST_CLIENT_DPOP_KEY_FILE", Keycloak.KEYED_CLIENT_KEY_FILE.replace(".pem", ".missing"),
                "ISSUER", Keycloak.issuer()));
        assertEquals(1, run.exitCode(), run.output());
        assertEquals(1, run.output().lines().count(), run.output());
        assertTrue(run.output().startsWith("TEST_CLIENT_DPOP_KEY_FILE must be a readable file holding a private key pair"),
                run.output());
    }
}
