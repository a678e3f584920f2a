package com.example.m2m.api;

import static com.example.m2m.testsupport.Management.management;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.Keycloak;
import com.example.m2m.testsupport.KeycloakResource;
import com.example.m2m.testsupport.PackagedService;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.path.json.JsonPath;

/** The API's contract with tokens from the real Keycloak, fetched as any caller fetches them. */
@QuarkusIntegrationTest
@Tag(PackagedService.TAG)
@WithTestResource(KeycloakResource.class)
class KeycloakEndToEndIT {

    private static final String CHECK = "checks.find { it.name == 'oidc-issuer' }";

    @Test
    void readerMayReadButNotAdminister() {
        String token = Keycloak.token(Keycloak.READER_ID, Keycloak.READER_SECRET, "read:messages");
        given().auth().oauth2(token).when().get("/").then().statusCode(200).body("message", equalTo("Hello World!"));
        given().auth().oauth2(token).when().get("/api/messages/protected").then().statusCode(200);
        given().auth().oauth2(token).when().get("/api/messages/admin").then().statusCode(403);
        given().auth().oauth2(token).when().get("/api/whoami").then().statusCode(200)
                .body("clientId", equalTo(Keycloak.READER_ID))
                .body("scopes", contains("read:messages"))
                .body("issuer", equalTo(Keycloak.issuer()));
    }

    @Test
    void adminScopeOpensTheAdminMessage() {
        String token = Keycloak.token(Keycloak.TEST_CLIENT_ID, Keycloak.TEST_CLIENT_SECRET,
                "read:messages admin:messages");
        given().auth().oauth2(token).when().get("/api/messages/admin").then()
                .statusCode(200).body("message", containsString("admin:messages"));
    }

    @Test
    void aTokenWithoutTheScopesIsForbidden() {
        String token = Keycloak.token(Keycloak.TEST_CLIENT_ID, Keycloak.TEST_CLIENT_SECRET, null);
        given().auth().oauth2(token).when().get("/api/messages/protected").then().statusCode(403);
        given().auth().oauth2(token).when().get("/").then().statusCode(403);
        given().auth().oauth2(token).when().get("/api/whoami").then().statusCode(200);
    }

    @Test
    void aTokenForAnotherAudienceIsUnauthorized() {
        // Without one of this API's scopes (whose client scopes carry its audience), the token has no aud for it.
        String token = Keycloak.token(Keycloak.OTHER_API_ID, Keycloak.OTHER_API_SECRET, null);
        given().auth().oauth2(token).when().get("/api/messages/protected").then()
                .statusCode(401).header("WWW-Authenticate", startsWith("Bearer"));
    }

    @Test
    void aTamperedKeycloakTokenIsUnauthorized() {
        String[] parts = Keycloak.token(Keycloak.READER_ID, Keycloak.READER_SECRET, "read:messages").split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"read:messages\"", "\"read:messages admin:messages\"");
        String tampered = parts[0] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
        given().auth().oauth2(tampered).when().get("/api/messages/admin").then()
                .statusCode(401).header("WWW-Authenticate", startsWith("Bearer"));
    }

    @Test
    void noTokenIsUnauthorized() {
        assertEquals(List.of("Bearer", "DPoP"), given().when().get("/api/messages/protected").then().statusCode(401)
                .extract().headers().getValues("WWW-Authenticate").stream()
                .map(challenge -> challenge.substring(0, challenge.indexOf(' '))).toList());
        given().when().get("/api/messages/public").then().statusCode(200);
    }

    @Test
    void readyWithKeycloaksKeys() {
        management().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body(CHECK + ".data.canVerifyTokens", equalTo(true))
                .body(CHECK + ".data.issuerReachable", equalTo(true))
                .body(CHECK + ".data.issuer", equalTo(Keycloak.issuer()));
    }

    @Test
    void protectedResourceMetadataNamesKeycloak() {
        // Quarkus sends this JSON without a Content-Type, so it is parsed explicitly.
        String metadata = given().when().get("/.well-known/oauth-protected-resource").then()
                .statusCode(200).extract().asString();
        assertEquals(List.of(Keycloak.issuer()), JsonPath.from(metadata).getList("authorization_servers"));
        assertEquals(List.of("header"), JsonPath.from(metadata).getList("bearer_methods_supported"));
        assertEquals(com.example.m2m.security.dpop.ProofRules.ALGORITHMS,
                JsonPath.from(metadata).getList("dpop_signing_alg_values_supported"));
        assertEquals(false, JsonPath.from(metadata).getBoolean("dpop_bound_access_tokens_required"));
    }

    @Test
    void aDpopBoundTokenFromKeycloakIsRefusedAsABearerToken() {
        Keycloak.DpopToken bound = Keycloak.dpopBoundToken(Keycloak.TEST_CLIENT_ID, Keycloak.TEST_CLIENT_SECRET,
                "read:messages");
        String payload = new String(Base64.getUrlDecoder().decode(bound.token().split("\\.")[1]), StandardCharsets.UTF_8);
        assertTrue(payload.contains("\"cnf\""), "Keycloak bound the token: " + payload);
        given().auth().oauth2(bound.token()).when().get("/api/messages/protected").then()
                .statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""))
                .header("WWW-Authenticate", containsString("bound to a key"));
    }

    @Test
    void aDpopBoundTokenFromKeycloakIsAcceptedWithAProofByItsKeyOncePerProof() {
        Keycloak.DpopToken bound = Keycloak.dpopBoundToken(Keycloak.DPOP_CLIENT_ID, Keycloak.DPOP_CLIENT_SECRET,
                "read:messages");
        String url = com.example.m2m.testsupport.TokenForge.apiUrl("/api/whoami");
        for (int i = 0; i < 3; i++) { // a new proof each time: the token is cached, the proof is checked every time
            given().header("Authorization", "DPoP " + bound.token()).header("DPoP", bound.proof("GET", url))
                    .when().get("/api/whoami").then().statusCode(200)
                    .body("clientId", equalTo(Keycloak.DPOP_CLIENT_ID))
                    .body("dpopKey", equalTo(bound.thumbprint()));
        }
        String proof = bound.proof("GET", url);
        given().header("Authorization", "DPoP " + bound.token()).header("DPoP", proof).when().get("/api/whoami")
                .then().statusCode(200);
        given().header("Authorization", "DPoP " + bound.token()).header("DPoP", proof).when().get("/api/whoami")
                .then().statusCode(401)
                .header("WWW-Authenticate", startsWith("DPoP realm="))
                .header("WWW-Authenticate", containsString("error=\"invalid_dpop_proof\""));
    }

    @Test
    void theMetadataListsEveryScope() {
        String metadata = given().when().get("/.well-known/oauth-protected-resource").then()
                .statusCode(200).extract().asString();
        assertEquals(List.copyOf(Endpoints.scopes("read:messages").keySet()),
                JsonPath.from(metadata).getList("scopes_supported"));
        assertTrue(JsonPath.from(metadata).getList("scopes_supported").contains("clients:register"));
    }
}
