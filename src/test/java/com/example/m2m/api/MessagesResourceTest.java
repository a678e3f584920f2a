package com.example.m2m.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.InjectLocalIssuer;
import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.LocalIssuerResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * The API's access rules with tokens signed by a local issuer: both scope shapes, whole scope names. Bad tokens of every
 * kind: the shared hostile list ({@code HostileRequestsTest}). The same story against the real Keycloak is in the
 * *IT tests.
 */
@QuarkusTest
@WithTestResource(LocalIssuerResource.class)
class MessagesResourceTest {

    @InjectLocalIssuer
    LocalIssuer issuer;

    private static ValidatableResponse get(String path, String token) {
        return given().auth().oauth2(token).when().get(path).then();
    }

    @Test
    void publicMessageNeedsNoToken() {
        given().when().get("/api/messages/public").then()
                .statusCode(200).body("message", containsString("public"));
    }

    @Test
    void rootAnswersHelloWorldToTheDefaultScope() {
        get("/", issuer.tokenWithScope("caller", "read:messages"))
                .statusCode(200).contentType("application/json").body("message", equalTo("Hello World!"));
    }

    @Test
    void rootRefusesATokenWithoutTheDefaultScope() {
        get("/", issuer.tokenWithScope("caller", "admin:messages")).statusCode(403);
    }

    @Test
    void spaceSeparatedScopeStringGrantsEachScope() {
        String token = issuer.tokenWithScope("caller", "openid read:messages admin:messages");
        get("/api/messages/protected", token).statusCode(200).body("message", containsString("read:messages"));
        get("/api/messages/admin", token).statusCode(200).body("message", containsString("admin:messages"));
    }

    @Test
    void scopeStringWithoutTheNeededScopeIsForbidden() {
        String token = issuer.tokenWithScope("caller", "read:messages");
        get("/api/messages/protected", token).statusCode(200);
        get("/api/messages/admin", token).statusCode(403);
    }

    @Test
    void oktaScpArrayGrantsEachScope() {
        String token = issuer.sign(issuer.claims("okta-caller").claim("scp", List.of("read:messages")));
        get("/api/messages/protected", token).statusCode(200);
        get("/api/messages/admin", token).statusCode(403);
        String admin = issuer.sign(issuer.claims("okta-caller").claim("scp", List.of("admin:messages", "other")));
        get("/api/messages/admin", admin).statusCode(200);
    }

    @Test
    void aScopeNameThatMerelyContainsTheNeededOneIsNotEnough() {
        get("/api/messages/protected", issuer.tokenWithScope("caller", "read:messages:extra xread:messages"))
                .statusCode(403);
    }

    @Test
    void noTokenIsUnauthorizedWithARefusals() {
        // No token: a challenge per scheme this API takes (RFC 6750 3, RFC 9449 7.1), without an error code.
        assertEquals(java.util.List.of("Bearer", "DPoP"), given().when().get("/api/messages/protected").then()
                .statusCode(401).extract().headers().getValues("WWW-Authenticate").stream()
                .map(challenge -> challenge.substring(0, challenge.indexOf(' '))).toList());
        given().when().get("/").then().statusCode(401);
    }

}
