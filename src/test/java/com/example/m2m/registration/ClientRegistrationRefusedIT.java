package com.example.m2m.registration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.Keycloak;
import com.example.m2m.testsupport.KeycloakResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * Keycloak itself refuses a registration: here the service's allow-list includes {@code clients:register}, which the
 * realm's client registration policy does not allow. The caller gets a 502 with a clear message, not Keycloak's answer.
 */
@QuarkusTest
@WithTestResource(KeycloakResource.class)
@TestProfile(ClientRegistrationRefusedIT.WideAllowList.class)
class ClientRegistrationRefusedIT {

    public static class WideAllowList implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("REGISTRATION_ALLOWED_SCOPES", "read:messages,clients:register");
        }
    }

    @Test
    void theIssuersRefusalIsA502WithoutItsRawAnswer() {
        String token = Keycloak.token(Keycloak.TEST_CLIENT_ID, Keycloak.TEST_CLIENT_SECRET, "clients:register");
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("label", "escalation", "scopes", List.of("clients:register")))
                .when().post("/api/clients").then()
                .statusCode(502)
                .contentType(startsWith("application/problem+json"))
                .body("detail", containsString("refused the registration"))
                .body("detail", not(containsString("Policy")));
    }
}
