package com.example.m2m.security.introspection;

import static com.example.m2m.testsupport.Management.metrics;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.example.m2m.api.Endpoints;
import com.example.m2m.testsupport.Keycloak;
import com.example.m2m.testsupport.KeycloakResource;
import com.example.m2m.testsupport.PackagedService;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * {@code REVOCATION_CHECK=true} against the real Keycloak: a JWT verified here is confirmed active by introspection (as
 * the API's own client, {@code api://messages}, which Keycloak lets introspect tokens meant for it) at most every
 * {@code INTROSPECTION_CACHE_SECONDS} (2 here); revoked at Keycloak (RFC 7009), it is refused within that time,
 * although it sits in the verified-token cache. Opaque tokens are introspected too.
 */
@QuarkusIntegrationTest
@Tag(PackagedService.TAG)
@WithTestResource(KeycloakResource.class)
@TestProfile(RevocationIT.RevocationChecked.class)
class RevocationIT {

    static final long CACHE_SECONDS = 2;

    /** The service with the API's introspection client at the m2m realm, a short interval, and {@code mode=true}. */
    static Map<String, String> introspecting(String mode) {
        return Map.of("INTROSPECTION_CLIENT_ID", Keycloak.INTROSPECTION_CLIENT_ID,
                "INTROSPECTION_CLIENT_SECRET", Keycloak.INTROSPECTION_CLIENT_SECRET,
                mode, "true",
                "INTROSPECTION_CACHE_SECONDS", String.valueOf(CACHE_SECONDS));
    }

    public static class RevocationChecked implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return introspecting("REVOCATION_CHECK");
        }
    }

    /** Calls with the token until it is refused; how long that took (at most {@code limit}, else the test fails). */
    static Duration refusedAfter(String token, String path, Duration limit) throws InterruptedException {
        long start = System.nanoTime();
        while (System.nanoTime() - start < limit.toNanos()) {
            int status = given().auth().oauth2(token).when().get(path).then().extract().statusCode();
            if (status == 401) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            assertEquals(200, status);
            Thread.sleep(100); // polling the answer, not waiting out a timer
        }
        throw new AssertionError("still accepted after " + limit);
    }

    private static double introspections(String outcome) {
        return metrics().getOrDefault("api_revocation_introspections_total{outcome=\"" + outcome + "\"}", 0.0);
    }

    @Test
    void aRevokedTokenIsRefusedWithinTheConfiguredTime() throws InterruptedException {
        String token = Keycloak.token(Keycloak.TEST_CLIENT_ID, Keycloak.TEST_CLIENT_SECRET, Endpoints.READ_SCOPE);
        double confirmedBefore = introspections("active");
        for (int call = 0; call < 3; call++) {
            given().auth().oauth2(token).when().get(Endpoints.PROTECTED).then().statusCode(200);
        }
        double confirmations = introspections("active") - confirmedBefore;
        assertTrue(confirmations >= 1 && confirmations <= 2, "one introspection per interval, not per call: "
                + confirmations);

        Keycloak.revoke(Keycloak.TEST_CLIENT_ID, Keycloak.TEST_CLIENT_SECRET, token);
        Duration took = refusedAfter(token, Endpoints.PROTECTED, Duration.ofSeconds(CACHE_SECONDS + 3));
        assertTrue(took.toMillis() <= (CACHE_SECONDS + 1) * 1000, "refused after " + took);
        String challenge = given().auth().oauth2(token).when().get(Endpoints.PROTECTED).then().statusCode(401)
                .extract().header("WWW-Authenticate");
        assertTrue(challenge.contains("error=\"invalid_token\"") && challenge.contains("not active"), challenge);
        assertTrue(introspections("not_active") >= 1);
    }

    @Test
    void anOpaqueTokenIsAskedAboutAndRefusedWhenNotActive() {
        String challenge = given().auth().oauth2("opaque-" + java.util.UUID.randomUUID()).when()
                .get(Endpoints.PROTECTED).then().statusCode(401).extract().header("WWW-Authenticate");
        assertTrue(challenge.contains("error=\"invalid_token\"") && challenge.contains("not active"), challenge);
    }

    @Test
    void anUnrevokedTokenStaysAccepted() {
        String token = Keycloak.token(Keycloak.TEST_CLIENT_ID, Keycloak.TEST_CLIENT_SECRET, Endpoints.READ_SCOPE);
        given().auth().oauth2(token).when().get(Endpoints.WHOAMI).then().statusCode(200);
        given().auth().oauth2(token).when().get(Endpoints.ADMIN).then().statusCode(403);
    }
}
