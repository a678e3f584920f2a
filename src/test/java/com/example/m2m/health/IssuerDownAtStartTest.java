package com.example.m2m.health;

import static com.example.m2m.testsupport.Management.management;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.InjectLocalIssuer;
import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.UnreachableIssuerResource;
import com.example.m2m.testsupport.UnreachableIssuerResource.ReservedPort;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The issuer was never reachable: the service still starts, is not ready, and refuses tokens with 401. */
@QuarkusTest
@WithTestResource(UnreachableIssuerResource.class)
class IssuerDownAtStartTest {

    private static final String CHECK = "checks.find { it.name == 'oidc-issuer' }";

    @InjectLocalIssuer
    ReservedPort issuerPort;

    @Test
    void notReadyUntilTheIssuerAppearsThenReadyWithoutARestart() throws InterruptedException {
        String issuerUrl = "http://127.0.0.1:" + issuerPort.port();
        for (int probe = 0; probe < 3; probe++) {
            management().when().get("/q/health/ready").then()
                    .statusCode(503)
                    .body("status", equalTo("DOWN"))
                    .body(CHECK + ".data.canVerifyTokens", equalTo(false))
                    .body(CHECK + ".data.issuerReachable", equalTo(false))
                    .body(CHECK + ".data.issuer", equalTo(issuerUrl))
                    .body(CHECK + ".data.issuerAnswer", equalTo("connection refused"));
        }
        // One line says it (at start-up), not one per probe; none of Quarkus' per-attempt warnings.
        assertEquals(1, logLines("The issuer " + issuerUrl + " cannot be used: connection refused"), log());
        assertEquals(0, logLines("OIDC server is not available"), log());
        management().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/api/messages/public").then().statusCode(200);
        // No token: a challenge per scheme this API takes (RFC 6750 3, RFC 9449 7.1), without an error code.
        assertEquals(java.util.List.of("Bearer", "DPoP"), given().when().get("/api/messages/protected").then()
                .statusCode(401).extract().headers().getValues("WWW-Authenticate").stream()
                .map(challenge -> challenge.substring(0, challenge.indexOf(' '))).toList());
        given().auth().oauth2("not-a-jwt").when().get("/api/messages/protected").then().statusCode(401);
        // A token the service cannot check yet is refused as a caller error, never a 500.
        String unverifiable = LocalIssuer.sign(io.smallrye.jwt.build.Jwt.issuer("http://127.0.0.1:" + issuerPort.port())
                .audience("api://messages").claim("scope", "read:messages").expiresIn(300),
                LocalIssuer.newKey("key-1"));
        given().auth().oauth2(unverifiable).when().get("/api/messages/protected").then()
                .statusCode(401).header("WWW-Authenticate", startsWith("Bearer"))
                // ... saying why: the issuer, not the token (it used to be "malformed").
                .header("WWW-Authenticate", containsString("its issuer cannot be used now"));

        try (LocalIssuer issuer = LocalIssuer.start(issuerPort.port())) {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (management().when().get("/q/health/ready").statusCode() != 200 && Instant.now().isBefore(deadline)) {
                Thread.sleep(250);
            }
            management().when().get("/q/health/ready").then()
                    .statusCode(200)
                    .body(CHECK + ".data.canVerifyTokens", equalTo(true))
                    .body(CHECK + ".data.issuerReachable", equalTo(true));
            given().auth().oauth2(issuer.tokenWithScope("caller", "read:messages"))
                    .when().get("/api/messages/protected").then().statusCode(200);
            assertEquals(1, logLines("The issuer " + issuerUrl + " answers again"), log());
        }
    }

    private static String log() {
        try {
            return Files.readString(Path.of("target", "test-logs", "quarkus.log"), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long logLines(String text) {
        return log().lines().filter(line -> line.contains(text)).count();
    }
}
