package com.example.m2m.registration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.Keycloak;
import com.example.m2m.testsupport.KeycloakResource;
import com.example.m2m.testsupport.PackagedService;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * POST /api/clients against the real Keycloak: a trusted caller registers a client, and the credentials it gets
 * work at once, for the scopes granted and no others.
 */
@QuarkusIntegrationTest
@Tag(PackagedService.TAG)
@WithTestResource(KeycloakResource.class)
class ClientRegistrationIT {

    private static String trustedCaller() {
        return Keycloak.token(Keycloak.TEST_CLIENT_ID, Keycloak.TEST_CLIENT_SECRET, "clients:register");
    }

    @Test
    void registeredCredentialsWorkAtOnceForTheGrantedScopeOnly() throws Exception {
        Response created = given().auth().oauth2(trustedCaller()).contentType(ContentType.JSON)
                .body(Map.of("label", "billing-batch", "scopes", List.of("read:messages")))
                .when().post("/api/clients");
        created.then()
                .statusCode(201)
                .header("Location", startsWith(Keycloak.issuer() + "/clients-registrations/"))
                .header("Cache-Control", "no-store")
                .body("client_id", notNullValue())
                .body("client_secret", notNullValue())
                .body("client_name", equalTo("billing-batch"))
                .body("token_endpoint", equalTo(Keycloak.issuer() + "/protocol/openid-connect/token"))
                .body("scopes", contains("read:messages"));

        String clientId = created.path("client_id");
        String secret = created.path("client_secret");
        String token = Keycloak.token(clientId, secret, "read:messages");
        given().auth().oauth2(token).when().get("/api/messages/protected").then().log().ifValidationFails().statusCode(200);
        given().auth().oauth2(token).when().get("/api/whoami").then().statusCode(200).body("clientId", equalTo(clientId));
        given().auth().oauth2(token).when().get("/api/messages/admin").then().statusCode(403);
        // A scope it was not granted is refused by Keycloak itself.
        given().auth().preemptive().basic(clientId, secret)
                .formParam("grant_type", "client_credentials").formParam("scope", "admin:messages")
                .when().post(Keycloak.issuer() + "/protocol/openid-connect/token")
                .then().statusCode(400).body("error", equalTo("invalid_scope"));

        // The secret is in the answer only, never in a log line.
        Path log = Path.of("target", "test-logs", "quarkus.log");
        String logged = Files.readString(log, StandardCharsets.UTF_8); // fails if the log is missing
        assertTrue(logged.contains("client_registered"), "the log holds this registration's audit line");
        assertFalse(logged.contains(secret), "the client secret was logged");
    }

    @Test
    void onlyACallerWithClientsRegisterMayRegister() {
        String reader = Keycloak.token(Keycloak.READER_ID, Keycloak.READER_SECRET, "read:messages");
        given().auth().oauth2(reader).contentType(ContentType.JSON)
                .body(Map.of("label", "x", "scopes", List.of("read:messages")))
                .when().post("/api/clients").then()
                .statusCode(403)
                .header("WWW-Authenticate", containsString("scope=\"clients:register\""));
        given().contentType(ContentType.JSON).body(Map.of("label", "x", "scopes", List.of("read:messages")))
                .when().post("/api/clients").then().statusCode(401);
    }

    @Test
    void aScopeOffTheAllowListIsA400NamingIt() {
        given().auth().oauth2(trustedCaller()).contentType(ContentType.JSON)
                .body(Map.of("label", "greedy", "scopes", List.of("read:messages", "admin:messages")))
                .when().post("/api/clients").then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("detail", containsString("'admin:messages'"));
    }

    @Test
    void oddLabelsAreRefused() {
        String token = trustedCaller();
        for (Map<String, Object> body : List.<Map<String, Object>> of(
                Map.of("label", "", "scopes", List.of("read:messages")),
                Map.of("label", "x".repeat(65), "scopes", List.of("read:messages")),
                Map.of("label", "bad\nlabel", "scopes", List.of("read:messages")),
                Map.of("label", "bell\u0007", "scopes", List.of("read:messages")),
                Map.of("scopes", List.of("read:messages")),
                Map.of("label", "no-scopes"))) {
            given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                    .when().post("/api/clients").then()
                    .statusCode(400)
                    .contentType(startsWith("application/problem+json"))
                    .body("status", equalTo(400));
        }
    }
}
