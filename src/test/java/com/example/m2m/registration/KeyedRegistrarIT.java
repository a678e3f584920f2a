package com.example.m2m.registration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.Keycloak;
import com.example.m2m.testsupport.KeyedRegistrarResource;
import com.example.m2m.testsupport.PackagedService;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The packaged service registers clients at Keycloak with a registration client that has no secret: it signs a
 * {@code private_key_jwt} assertion with the key in {@code REGISTRAR_CLIENT_KEY_FILE} (a JWK; its kid and ES256 come
 * from the file), and the private key never reaches the log. And it registers clients with no secret either: a
 * caller that sends the new client's public keys gets a {@code private_key_jwt} client.
 */
@QuarkusIntegrationTest
@Tag(PackagedService.TAG)
@WithTestResource(KeyedRegistrarResource.class)
class KeyedRegistrarIT {

    @Test
    void registersWithAPrivateKeyAndNoSecret() throws Exception {
        String caller = Keycloak.token(Keycloak.TEST_CLIENT_ID, Keycloak.TEST_CLIENT_SECRET, "clients:register");
        Response created = given().auth().oauth2(caller).contentType(ContentType.JSON)
                .body(Map.of("label", "keyed-registrar-batch", "scopes", List.of("read:messages")))
                .when().post("/api/clients");
        created.then().statusCode(201);

        String clientId = created.path("client_id");
        String token = Keycloak.token(clientId, created.path("client_secret"), "read:messages");
        given().auth().oauth2(token).when().get("/api/whoami").then().statusCode(200).body("clientId", equalTo(clientId));

        String privatePart = JsonPath.from(Files.readString(Path.of(Keycloak.KEYED_REGISTRAR_KEY_FILE))).getString("d");
        String logged = Files.readString(Path.of("target", "test-logs", "quarkus.log"), StandardCharsets.UTF_8);
        assertFalse(logged.contains(privatePart), "the registrar's private key was logged");
    }

    @Test
    void registersAClientWithNoSecretFromItsPublicKey() throws Exception {
        RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
        key.setKeyId("batch-key-1");
        key.setAlgorithm("RS256");
        String caller = Keycloak.token(Keycloak.TEST_CLIENT_ID, Keycloak.TEST_CLIENT_SECRET, "clients:register");
        Response created = given().auth().oauth2(caller).contentType(ContentType.JSON)
                .body(Map.of("label", "keyed-batch", "scopes", List.of("read:messages"),
                        "jwks", Map.of("keys", List.of(key.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)))))
                .when().post("/api/clients");
        created.then().statusCode(201)
                .body("token_endpoint_auth_method", equalTo("private_key_jwt"))
                .body("$", not(hasKey("client_secret")));

        String clientId = created.path("client_id");
        String token = Keycloak.tokenWithKey(clientId, key, "read:messages");
        given().auth().oauth2(token).when().get("/api/whoami").then().statusCode(200).body("clientId", equalTo(clientId));
    }

    @Test
    void aPrivateKeySentForRegistrationIsRefused() throws Exception {
        RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
        String caller = Keycloak.token(Keycloak.TEST_CLIENT_ID, Keycloak.TEST_CLIENT_SECRET, "clients:register");
        given().auth().oauth2(caller).contentType(ContentType.JSON)
                .body(Map.of("label", "leaky", "scopes", List.of("read:messages"),
                        "jwks", Map.of("keys", List.of(key.toParams(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE)))))
                .when().post("/api/clients").then()
                .statusCode(400)
                .body("detail", equalTo("jwks holds a private or symmetric key: send the public key only"));
    }
}
