package com.example.m2m.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.InjectLocalIssuer;
import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.LocalIssuerResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * The API's access rules with tokens signed by a local issuer: both scope shapes, and every kind of bad token.
 * The same story against the real Keycloak is in the *IT tests.
 */
@QuarkusTest
@WithTestResource(LocalIssuerResource.class)
class MessagesResourceTest {

    @InjectLocalIssuer
    LocalIssuer issuer;

    private static ValidatableResponse get(String path, String token) {
        return given().auth().oauth2(token).when().get(path).then();
    }

    private static void assertUnauthorized(String path, String token) {
        get(path, token).statusCode(401).header("WWW-Authenticate", startsWith("Bearer"));
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
        given().when().get("/api/messages/protected").then()
                .statusCode(401).header("WWW-Authenticate", startsWith("Bearer"));
        given().when().get("/").then().statusCode(401);
    }

    @Test
    void expiredTokenIsUnauthorized() {
        long now = System.currentTimeMillis() / 1000;
        String token = issuer.sign(issuer.claims("caller").claim("scope", "read:messages")
                .issuedAt(now - 900).expiresAt(now - 600));
        assertUnauthorized("/api/messages/protected", token);
    }

    @Test
    void tokenNotYetValidIsUnauthorized() {
        long now = System.currentTimeMillis() / 1000;
        String token = issuer.sign(issuer.claims("caller").claim("scope", "read:messages")
                .claim("nbf", now + 600).expiresAt(now + 900));
        assertUnauthorized("/api/messages/protected", token);
    }

    @Test
    void wrongIssuerIsUnauthorizedEvenWithTheRightKey() {
        String token = issuer.sign(issuer.claims("caller").claim("scope", "read:messages")
                .issuer("https://evil.example.com"));
        assertUnauthorized("/api/messages/protected", token);
    }

    @Test
    void wrongOrMissingAudienceIsUnauthorized() {
        assertUnauthorized("/api/messages/protected",
                issuer.sign(issuer.claims("caller").claim("scope", "read:messages").audience("api://other")));
        assertUnauthorized("/api/messages/protected",
                issuer.sign(issuer.claims("caller").claim("scope", "read:messages").remove("aud")));
    }

    @Test
    void tokenSignedWithAnUnpublishedKeyIsUnauthorized() {
        LocalIssuer.SigningKey forger = LocalIssuer.newKey(issuer.currentKey().kid());
        String forged = LocalIssuer.sign(issuer.claims("caller").claim("scope", "read:messages"), forger);
        assertUnauthorized("/api/messages/protected", forged);
    }

    @Test
    void tamperedPayloadIsUnauthorized() {
        String[] parts = issuer.tokenWithScope("caller", "read:messages").split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("read:messages", "admin:messages");
        String tampered = parts[0] + "." + base64Url(payload) + "." + parts[2];
        assertUnauthorized("/api/messages/admin", tampered);
    }

    @Test
    void unsignedAlgNoneTokenIsUnauthorized() {
        String[] parts = issuer.tokenWithScope("caller", "read:messages").split("\\.");
        String none = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
        assertUnauthorized("/api/messages/protected", none);
    }

    @Test
    void malformedTokensAreUnauthorized() {
        for (String garbage : List.of("not-a-jwt", "a.b.c", "....", "eyJhbGciOiJSUzI1NiJ9.e30")) {
            assertUnauthorized("/api/messages/protected", garbage);
        }
    }

    private static String base64Url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
