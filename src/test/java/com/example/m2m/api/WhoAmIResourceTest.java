package com.example.m2m.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.InjectLocalIssuer;
import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.LocalIssuerResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(LocalIssuerResource.class)
class WhoAmIResourceTest {

    @InjectLocalIssuer
    LocalIssuer issuer;

    @Test
    void describesAKeycloakStyleCaller() {
        long exp = System.currentTimeMillis() / 1000 + 240;
        String token = issuer.sign(issuer.claims("billing-batch").claim("azp", "billing-batch")
                .claim("scope", "read:messages admin:messages").expiresAt(exp));
        given().auth().oauth2(token).when().get("/api/whoami").then()
                .statusCode(200)
                .body("clientId", equalTo("billing-batch"))
                .body("scopes", contains("admin:messages", "read:messages"))
                .body("issuer", equalTo(issuer.url()))
                .body("expiresAt", equalTo(Instant.ofEpochSecond(exp).toString()));
    }

    @Test
    void readsOktasCidAndScpArray() {
        String token = issuer.sign(issuer.claims("ignored").remove("client_id").subject("0oa1okta")
                .claim("cid", "0oa1okta").claim("scp", List.of("read:messages")));
        given().auth().oauth2(token).when().get("/api/whoami").then()
                .statusCode(200)
                .body("clientId", equalTo("0oa1okta"))
                .body("scopes", contains("read:messages"));
    }

    @Test
    void readsTheAuthorizedPartyWhenThereIsNoClientIdClaim() {
        String token = issuer.sign(issuer.claims("ignored").remove("client_id").subject("user-123")
                .claim("azp", "auth0-client").claim("scope", "read:messages"));
        given().auth().oauth2(token).when().get("/api/whoami").then()
                .statusCode(200).body("clientId", equalTo("auth0-client"));
    }

    @Test
    void needsAToken() {
        given().when().get("/api/whoami").then().statusCode(401);
    }
}
