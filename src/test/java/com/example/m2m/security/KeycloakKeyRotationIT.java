package com.example.m2m.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.KeyRefresh;
import com.example.m2m.testsupport.Keycloak;
import com.example.m2m.testsupport.KeycloakResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * Key rotation on the real Keycloak, through its admin API: a new signing key with a higher priority makes Keycloak
 * sign with a new {@code kid}; the service accepts the first token signed with it (refresh on unknown kid) and still
 * accepts tokens signed with the old key, which stays published.
 */
@QuarkusTest
@WithTestResource(KeycloakResource.class)
class KeycloakKeyRotationIT {

    private static String kid(String token) {
        String header = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8);
        return new JsonObject(header).getString("kid");
    }

    private static String adminToken() {
        return given().formParam("grant_type", "password").formParam("client_id", "admin-cli")
                .formParam("username", "admin").formParam("password", "admin")
                .when().post(Keycloak.url() + "/realms/master/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    @Test
    void aRotatedKeycloakKeyIsAcceptedOnFirstUseAndTheOldOneStillWorks() throws InterruptedException {
        String before = Keycloak.token(Keycloak.READER_ID, Keycloak.READER_SECRET, "read:messages");
        given().auth().oauth2(before).when().get("/api/messages/protected").then().statusCode(200);

        String admin = adminToken();
        String realmId = given().auth().oauth2(admin).when().get(Keycloak.url() + "/admin/realms/m2m")
                .then().statusCode(200).extract().path("id");
        Map<String, Object> provider = Map.of(
                "name", "rotated-rsa-" + System.currentTimeMillis(),
                "providerId", "rsa-generated",
                "providerType", "org.keycloak.keys.KeyProvider",
                "parentId", realmId,
                "config", Map.of("priority", List.of("1000"), "algorithm", List.of("RS256"),
                        "keySize", List.of("2048"), "active", List.of("true"), "enabled", List.of("true")));
        given().auth().oauth2(admin).contentType("application/json").body(provider)
                .when().post(Keycloak.url() + "/admin/realms/m2m/components").then().statusCode(201);

        String after = Keycloak.token(Keycloak.READER_ID, Keycloak.READER_SECRET, "read:messages");
        assertNotEquals(kid(before), kid(after), "Keycloak signs with the new key");
        // The service refreshes its keys on an unknown kid at most every 10 s; let that interval pass since start-up.
        KeyRefresh.awaitRefreshAllowed();
        given().auth().oauth2(after).when().get("/api/messages/protected").then().statusCode(200);
        given().auth().oauth2(before).when().get("/api/messages/protected").then().statusCode(200);
    }
}
