package com.example.m2m.providers;

import static com.example.m2m.providers.EntraChecks.callerRequests;
import static com.example.m2m.testsupport.providers.EntraTenantResource.API_ID;
import static com.example.m2m.testsupport.providers.EntraTenantResource.CALLER_ID;
import static com.example.m2m.testsupport.providers.EntraTenantResource.CALLER_SECRET;
import static com.example.m2m.testsupport.providers.EntraTenantResource.TENANT_ID;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.Test;

import com.example.m2m.client.MessagesApi;
import com.example.m2m.testsupport.providers.EntraTenant;
import com.example.m2m.testsupport.providers.EntraTenantResource;
import com.example.m2m.testsupport.providers.ProviderImitation.Request;

import io.quarkus.oidc.client.OidcClientException;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The v2.0 row with the caller's one likely mistake: {@code TEST_CLIENT_SCOPE} naming the app role
 * ({@code api://<API application id>/read:messages}) instead of {@code api://<API application id>/.default}. Entra's
 * client-credentials grant takes only {@code <resource>/.default}
 * (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow) and answers 400
 * {@code invalid_scope} AADSTS1002012 to anything else: the caller gets no token, and its call fails.
 */
@QuarkusTest
@WithTestResource(value = EntraTenantResource.class, initArgs = {
        @ResourceArg(name = "row", value = "v2"),
        @ResourceArg(name = "TEST_CLIENT_SCOPE", value = "api://" + EntraTenantResource.API_ID + "/read:messages") })
class EntraCallerScopeTest {

    EntraTenant entra;

    @Inject
    @RestClient
    MessagesApi api;

    @Test
    void aScopeWithoutDefaultGetsNoTokenAndTheCallFails() throws IOException {
        RuntimeException failed = assertThrows(RuntimeException.class, api::protectedMessage);
        // The OIDC client's failure, with Entra's answer in it: the API was never called without a token.
        Throwable cause = failed;
        while (cause != null && !(cause instanceof OidcClientException)) {
            cause = cause.getCause();
        }
        assertNotNull(cause, () -> "not a token failure: " + failed);
        assertTrue(cause.getMessage().contains("invalid_scope"), cause.getMessage());
        List<Request> asked = callerRequests(entra, "/" + TENANT_ID + "/oauth2/v2.0/token");
        assertFalse(asked.isEmpty());
        assertEquals("api://" + API_ID + "/read:messages", asked.get(0).form().get("scope"));
        assertEquals(1002012, entra.refusals().get(0));

        // The answer it got, as Entra shapes it.
        given().formParam("grant_type", "client_credentials").formParam("client_id", CALLER_ID)
                .formParam("client_secret", CALLER_SECRET).formParam("scope", "read:messages")
                .when().post(entra.v2TokenEndpoint())
                .then().statusCode(400)
                .body("error", equalTo("invalid_scope"))
                .body("error_codes", equalTo(List.of(1002012)))
                .body("error_description", startsWith("AADSTS1002012: The provided value for scope read:messages is "
                        + "not valid. Client credential flows must have a scope value with /.default suffixed"));
        EntraChecks.notLogged(CALLER_SECRET);
    }
}
