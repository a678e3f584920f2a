package com.example.m2m.registration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.example.m2m.api.Endpoints;
import com.example.m2m.testsupport.providers.OktaResource;
import com.example.m2m.testsupport.providers.OktaResource.Okta;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A registrar whose OIDC client Quarkus did not set up (here turned off; in the field: a URL it refused) has no token:
 * Quarkus' filter then lets the request go out without one. The registration is stopped before it is sent, answered
 * 502, and the authorization server's registration endpoint never sees it.
 */
@QuarkusTest
@WithTestResource(OktaResource.class)
@TestProfile(RegistrarWithoutTokenTest.RegistrarOff.class)
class RegistrarWithoutTokenTest {

    public static class RegistrarOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.oidc-client.registrar.client-enabled", "false");
        }
    }

    Okta okta;

    @Test
    void aRegistrationIsNeverSentWithoutAToken() {
        String trusted = okta.org().customToken(OktaResource.CALLER_ID, Set.of(Endpoints.REGISTER_SCOPE));
        given().auth().oauth2(trusted).contentType("application/json")
                .body("{\"label\":\"billing-batch\",\"scopes\":[\"read:messages\"]}")
                .when().post(Endpoints.CLIENTS).then().statusCode(502)
                .body("detail", containsString("could not authenticate to the authorization server"));
        assertEquals(0, okta.org().requestsTo("/oauth2/v1/clients").size(), "nothing reached the registration endpoint");
    }
}
