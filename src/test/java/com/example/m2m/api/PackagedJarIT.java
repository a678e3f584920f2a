package com.example.m2m.api;

import static com.example.m2m.testsupport.Management.management;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.Keycloak;
import com.example.m2m.testsupport.KeycloakResource;
import com.example.m2m.testsupport.PackagedService;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The packaged jar, in the prod profile, pointed at the real Keycloak by ISSUER and AUDIENCE alone, answers the
 * API table of the README.
 */
@QuarkusIntegrationTest
@Tag(PackagedService.TAG)
@WithTestResource(KeycloakResource.class)
class PackagedJarIT {

    @Test
    void answersTheApiTable() {
        String reader = Keycloak.token(Keycloak.READER_ID, Keycloak.READER_SECRET, "read:messages");
        String admin = Keycloak.token(Keycloak.TEST_CLIENT_ID, Keycloak.TEST_CLIENT_SECRET,
                "read:messages admin:messages");

        given().auth().oauth2(reader).when().get("/").then().statusCode(200).body("message", equalTo("Hello World!"));
        given().when().get("/").then().statusCode(401);
        given().when().get("/api/messages/public").then().statusCode(200);
        given().auth().oauth2(reader).when().get("/api/messages/protected").then().statusCode(200);
        given().auth().oauth2(reader).when().get("/api/messages/admin").then().statusCode(403);
        given().auth().oauth2(admin).when().get("/api/messages/admin").then().statusCode(200);
        given().auth().oauth2(reader).when().get("/api/whoami").then().statusCode(200)
                .body("clientId", equalTo(Keycloak.READER_ID));
        given().auth().oauth2("not-a-jwt").when().get("/api/messages/protected").then().statusCode(401);
        management().when().get("/q/health/live").then().statusCode(200);
        // Health and metrics on the management port only: the API's port does not say who calls it.
        given().when().get("/q/metrics").then().statusCode(404);
        given().when().get("/q/health/ready").then().statusCode(404);
        management().when().get("/q/metrics").then().statusCode(200);
        given().when().get("/q/openapi").then().statusCode(200);
        management().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'oidc-issuer' }.data.issuer", containsString("/realms/m2m"));
    }
}
