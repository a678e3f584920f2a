package com.example.m2m.security.introspection;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
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
 * {@code INTROSPECT_JWT=true} against the real Keycloak: a client whose access tokens are lightweight (no aud, no
 * client_id in the token: Keycloak says them only when asked) is served on its introspection answer; a revoked one
 * is refused once the cached answer ends; a token not meant for this API is refused (Keycloak answers only for tokens
 * whose audience names the asking client, and the service checks the answer's aud itself).
 */
@QuarkusIntegrationTest
@Tag(PackagedService.TAG)
@WithTestResource(KeycloakResource.class)
@TestProfile(LightweightTokensIT.EveryTokenIntrospected.class)
class LightweightTokensIT {

    public static class EveryTokenIntrospected implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return RevocationIT.introspecting("INTROSPECT_JWT");
        }
    }

    private static String lightweightToken() {
        return Keycloak.token(Keycloak.LIGHT_CLIENT_ID, Keycloak.LIGHT_CLIENT_SECRET, Endpoints.READ_SCOPE);
    }

    @Test
    void aLightweightTokenIsServedOnWhatItsIssuerSays() {
        String token = lightweightToken();
        String payload = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertTrue(!payload.contains("\"aud\"") && !payload.contains("\"client_id\""), "lightweight: " + payload);
        given().auth().oauth2(token).when().get(Endpoints.WHOAMI).then().statusCode(200)
                .body("clientId", equalTo(Keycloak.LIGHT_CLIENT_ID))
                .body("issuer", equalTo(Keycloak.issuer()))
                .body("scopes", equalTo(List.of(Endpoints.READ_SCOPE)));
        given().auth().oauth2(token).when().get(Endpoints.PROTECTED).then().statusCode(200);
        given().auth().oauth2(token).when().get(Endpoints.ADMIN).then().statusCode(403);
    }

    @Test
    void aRevokedLightweightTokenIsRefusedWithinTheConfiguredTime() throws InterruptedException {
        String token = lightweightToken();
        given().auth().oauth2(token).when().get(Endpoints.PROTECTED).then().statusCode(200);
        Keycloak.revoke(Keycloak.LIGHT_CLIENT_ID, Keycloak.LIGHT_CLIENT_SECRET, token);
        Duration took = RevocationIT.refusedAfter(token, Endpoints.PROTECTED,
                Duration.ofSeconds(RevocationIT.CACHE_SECONDS + 3));
        assertTrue(took.toMillis() <= (RevocationIT.CACHE_SECONDS + 1) * 1000, "refused after " + took);
    }

    @Test
    void aTokenMeantForAnotherApiIsRefused() {
        String other = Keycloak.token(Keycloak.OTHER_API_ID, Keycloak.OTHER_API_SECRET, null);
        given().auth().oauth2(other).when().get(Endpoints.PROTECTED).then().statusCode(401);
    }
}
