package com.example.m2m.security.mtls;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.Keycloak;
import com.example.m2m.testsupport.MtlsKeycloakResource;
import com.example.m2m.testsupport.PackagedService;
import com.example.m2m.testsupport.TestCertificates;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * RFC 8705 end to end, against the packaged service (and the native executable with {@code -Dnative}) and the real
 * Keycloak: the caller's certificate authenticates it at Keycloak's HTTPS token endpoint ({@code tls_client_auth}),
 * Keycloak binds the token to it ({@code cnf.x5t#S256}), and the API serves that token only over a TLS connection
 * that presents the same certificate: a stolen token sent with another client's certificate, with none, or over plain
 * HTTP is refused with its challenge, also once the token sits in the verified-token cache.
 */
@QuarkusIntegrationTest
@Tag(PackagedService.TAG)
@WithTestResource(MtlsKeycloakResource.class)
class CertificateBoundTokensIT {

    private static int httpsPort() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.http.test-ssl-port", Integer.class).orElse(8444);
    }

    /** GET {@code path} on the API's HTTPS port with {@code token}, presenting {@code certificate} (or none). */
    private static HttpResponse<String> get(String path, String token, String certificate) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(TestCertificates.context(certificate)).build();
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + httpsPort() + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String challenge(HttpResponse<String> answer) {
        return answer.headers().firstValue("WWW-Authenticate").orElse("");
    }

    @Test
    void keycloakBindsTheTokenToTheCertificateThatAuthenticatedTheClient() {
        String token = Keycloak.certificateBoundToken(TestCertificates.CALLER, "read:messages");
        String claims = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]),
                StandardCharsets.UTF_8);
        assertTrue(claims.contains("\"x5t#S256\":\"" + TestCertificates.thumbprint(TestCertificates.CALLER) + "\""),
                claims);
    }

    @Test
    void theBoundTokenIsServedWithItsCertificateAgainAndAgain() throws Exception {
        String token = Keycloak.certificateBoundToken(TestCertificates.CALLER, "read:messages");
        for (int i = 0; i < 3; i++) { // the first verified, the others from the verified-token cache
            HttpResponse<String> answer = get("/api/messages/protected", token, TestCertificates.CALLER);
            assertEquals(200, answer.statusCode(), answer.body());
        }
    }

    @Test
    void aStolenTokenWithAnotherClientsCertificateIsRefused() throws Exception {
        String token = Keycloak.certificateBoundToken(TestCertificates.CALLER, "read:messages");
        assertEquals(200, get("/api/messages/protected", token, TestCertificates.CALLER).statusCode()); // cached now
        HttpResponse<String> answer = get("/api/messages/protected", token, TestCertificates.THIEF);
        assertEquals(401, answer.statusCode(), answer.body());
        assertTrue(challenge(answer).startsWith("Bearer "), challenge(answer));
        assertTrue(challenge(answer).contains("error=\"invalid_token\""), challenge(answer));
        assertTrue(answer.body().contains("certificate"), answer.body());
    }

    @Test
    void aStolenTokenWithoutACertificateIsRefused() throws Exception {
        String token = Keycloak.certificateBoundToken(TestCertificates.CALLER, "read:messages");
        HttpResponse<String> answer = get("/api/messages/protected", token, null);
        assertEquals(401, answer.statusCode(), answer.body());
        assertTrue(challenge(answer).contains("error=\"invalid_token\""), challenge(answer));
        // and over plain HTTP, where there is no certificate at all
        given().header("Authorization", "Bearer " + token).when().get("/api/messages/protected").then()
                .statusCode(401);
        // ... even with a forged forwarding header: no proxy is trusted here
        given().header("Authorization", "Bearer " + token)
                .header("ssl-client-cert", java.net.URLEncoder.encode(Files.readString(Path.of(TestCertificates
                        .file(TestCertificates.CALLER))), StandardCharsets.UTF_8))
                .header("x-forwarded-client-cert", "Hash=" + TestCertificates.thumbprint(TestCertificates.CALLER))
                .when().get("/api/messages/protected").then().statusCode(401);
    }

    @Test
    void anUnboundTokenIsServedOverEitherPortWithOrWithoutACertificate() throws Exception {
        String token = Keycloak.token(Keycloak.TEST_CLIENT_ID, Keycloak.TEST_CLIENT_SECRET, "read:messages");
        assertEquals(200, get("/api/messages/protected", token, TestCertificates.THIEF).statusCode());
        assertEquals(200, get("/api/messages/protected", token, null).statusCode());
        given().header("Authorization", "Bearer " + token).when().get("/api/messages/protected").then()
                .statusCode(200);
    }

    @Test
    void healthStaysOnThePlainManagementPort() {
        // The API's TLS configuration is its own: the Kubernetes probes ask plain HTTP on the management port.
        com.example.m2m.testsupport.Management.management().when().get("/q/health/ready").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("UP"));
    }

    @Test
    void theMetadataSaysCertificateBoundTokensAreTaken() {
        given().when().get("/.well-known/oauth-protected-resource").then().statusCode(200)
                .body("tls_client_certificate_bound_access_tokens", org.hamcrest.Matchers.equalTo(true));
    }

    @Test
    void theCallerGetsItsTokenWithItsCertificateAndCallsTheApiWithIt() throws Exception {
        // No secret: its certificate authenticates it (tls_client_auth) at Keycloak's mTLS endpoint, and the token
        // Keycloak binds to that certificate is served because the caller presents it to the API too.
        Path dir = Files.createTempDirectory("caller");
        List<String> command = new ArrayList<>(PackagedService.command("call", "/api/whoami"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(dir.resolve("stderr").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("TEST_CLIENT_") || name.startsWith("TLS_")
                || List.of("ISSUER", "AUDIENCE", "API_URL", "TRUSTED_CA_FILE", "TRUSTED_ISSUERS").contains(name));
        builder.environment().putAll(Map.of("ISSUER", Keycloak.issuer(), "TEST_CLIENT_ID", Keycloak.MTLS_CLIENT_ID,
                "TEST_CLIENT_CERT_FILE", TestCertificates.file(TestCertificates.CALLER),
                "TEST_CLIENT_CERT_KEY_FILE", TestCertificates.file(TestCertificates.CALLER + "-key"),
                "TEST_CLIENT_TOKEN_ENDPOINT", Keycloak.mtlsTokenEndpoint(),
                "TRUSTED_CA_FILE", TestCertificates.file("ca"),
                "API_URL", "https://127.0.0.1:" + httpsPort()));
        Process process = builder.start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(90, TimeUnit.SECONDS), "the caller did not finish");
        String output = stdout + Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), output);
        assertTrue(stdout.contains(Keycloak.MTLS_CLIENT_ID), output);
        assertFalse(output.contains("PRIVATE KEY"), output);
    }
}
