package com.example.m2m.providers;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;

import org.junit.jupiter.api.Test;

import com.example.m2m.api.Endpoints;
import com.example.m2m.testsupport.providers.OktaResource;
import com.example.m2m.testsupport.providers.OktaResource.Okta;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The README's Okta row without {@code REGISTRATION_METADATA}: Okta registers a web application by default and refuses
 * a client-credentials-only one ({@code invalid_client_metadata}); the service answers 502 and passes nothing of
 * Okta's answer on. Why the row has {@code REGISTRATION_METADATA={"application_type":"service"}}.
 */
@QuarkusTest
@WithTestResource(value = OktaResource.class, initArgs = @ResourceArg(name = "metadata", value = "false"))
class OktaWithoutServiceTypeTest {

    Okta okta;

    @Test
    void oktaRefusesAWebApplicationWithoutAuthorizationCode() {
        String trusted = okta.org().customToken(OktaResource.CALLER_ID, Set.of("clients:register"));
        given().auth().oauth2(trusted).contentType("application/json")
                .body("{\"label\":\"billing-batch\",\"scopes\":[\"read:messages\"]}")
                .when().post(Endpoints.CLIENTS).then().statusCode(502)
                .body("detail", containsString("refused the registration (HTTP 400)"))
                .body(org.hamcrest.Matchers.not(containsString("grant_types")));
        assertEquals(1, okta.org().requestsTo("/oauth2/v1/clients").size());
    }
}
