package com.example.m2m.providers;

import static com.example.m2m.providers.Auth0Test.assertLogHoldsNone;
import static com.example.m2m.providers.Auth0Test.assertScopes;
import static com.example.m2m.providers.Auth0Test.header;
import static com.example.m2m.providers.Auth0Test.lastForm;
import static com.example.m2m.providers.Auth0Test.statusOf;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.Test;

import com.example.m2m.api.Endpoints;
import com.example.m2m.client.MessagesApi;
import com.example.m2m.testsupport.providers.HydraServer;
import com.example.m2m.testsupport.providers.HydraServerResource;
import com.example.m2m.testsupport.providers.ProviderImitation;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The README's Ory row, against an imitation of an Ory Network project with JWT access tokens ({@link HydraServer},
 * the pages and code it follows are cited there): service {@code ISSUER=https://<project>.projects.oryapis.com}
 * (no trailing slash, https://www.ory.com/docs/oauth2-oidc/wellknown-endpoint-discovery), {@code AUDIENCE=<API
 * identifier>}; caller {@code TEST_CLIENT_ID}, {@code TEST_CLIENT_SECRET}, {@code TEST_CLIENT_AUDIENCE=<API
 * identifier>}. Hydra puts in {@code aud} only the audiences a token request names
 * (https://www.ory.com/docs/hydra/guides/audiences, https://github.com/ory/hydra/issues/3441), hence the caller's
 * {@code audience}; its scopes come as an {@code scp} array (https://www.ory.com/docs/oauth2-oidc/jwt-access-token).
 */
@QuarkusTest
@WithTestResource(HydraServerResource.class)
class HydraTest {

    HydraServer hydra;

    @Inject
    @RestClient
    MessagesApi api;

    @Test
    void theCallerGetsATokenForTheApiAndCallsIt() {
        assertEquals("Hello World!", api.hello().get("message").asText());

        // The caller sent the API's identifier as audience and its scope; the secret by HTTP Basic (Hydra's default
        // token_endpoint_auth_method, which the imitation holds the client to).
        Map<String, String> form = lastForm(hydra, "/oauth2/token");
        assertEquals("client_credentials", form.get("grant_type"));
        assertEquals(HydraServerResource.API, form.get("audience"));
        assertEquals(Endpoints.READ_SCOPE, form.get("scope"));
        assertFalse(form.containsKey("client_secret"), form.toString());

        List<String> forTheApi = hydra.issuedTokens().stream()
                .filter(t -> List.of(HydraServerResource.API).equals(ProviderImitation.claimsOf(t).get("aud"))).toList();
        assertEquals(1, forTheApi.size(), "one token for all the caller's calls");
        String token = forTheApi.get(0);
        assertEquals(List.of("alg", "kid", "typ"), List.copyOf(header(token).keySet()));
        assertEquals("JWT", header(token).get("typ"));
        Map<String, Object> claims = ProviderImitation.claimsOf(token);
        assertEquals(List.of("aud", "client_id", "exp", "ext", "iat", "iss", "jti", "nbf", "scp", "sub"),
                List.copyOf(claims.keySet()));
        assertEquals(List.of(HydraServerResource.API), claims.get("aud"));
        assertEquals(List.of(Endpoints.READ_SCOPE), claims.get("scp"));
        assertEquals(hydra.issuer(), claims.get("iss"));
        assertFalse(hydra.issuer().endsWith("/"));
        assertEquals(HydraServerResource.CALLER_ID, claims.get("sub"));
    }

    @Test
    void whoamiNamesTheClientAndTheScpArrayGivesTheRoles() {
        JsonNode me = api.whoami();
        assertEquals(HydraServerResource.CALLER_ID, me.get("clientId").asText());
        assertEquals(hydra.issuer(), me.get("issuer").asText());
        assertScopes(me, Set.of(Endpoints.READ_SCOPE));
        assertEquals(200, statusOf(api::protectedMessage));
        assertEquals(403, statusOf(api::adminMessage));
    }

    @Test
    void aTokenRequestedWithoutTheAudienceIsRefused() {
        String noAudience = given().auth().preemptive()
                .basic(HydraServerResource.CALLER_ID, HydraServerResource.CALLER_SECRET)
                .formParam("grant_type", "client_credentials").formParam("scope", Endpoints.READ_SCOPE)
                .when().post(hydra.tokenEndpoint()).then().statusCode(200)
                .body("token_type", equalTo("bearer"))
                .body("scope", equalTo(Endpoints.READ_SCOPE))
                .extract().path("access_token");
        assertEquals(List.of(), ProviderImitation.claimsOf(noAudience).get("aud"));
        given().auth().oauth2(noAudience).when().get(Endpoints.PROTECTED).then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""));
        given().auth().oauth2(noAudience).when().get(Endpoints.WHOAMI).then().statusCode(401);
    }

    @Test
    void theProjectRefusesAnAudienceTheClientIsNotAllowed() {
        given().auth().preemptive().basic(HydraServerResource.CALLER_ID, HydraServerResource.CALLER_SECRET)
                .formParam("grant_type", "client_credentials").formParam("audience", "https://api.example.com/billing")
                .when().post(hydra.tokenEndpoint()).then().statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("error_description", equalTo("The request is missing a required parameter, includes an invalid"
                        + " parameter value, includes a parameter more than once, or is otherwise malformed. Requested"
                        + " audience 'https://api.example.com/billing' has not been whitelisted by the OAuth 2.0"
                        + " Client."));
    }

    @Test
    void registrationIsOpenOnlyWhenTheProjectHasItOn() {
        given().when().get(hydra.issuer() + "/.well-known/openid-configuration").then().statusCode(200)
                .body("issuer", equalTo(hydra.issuer()))
                .body("$", not(hasKey("registration_endpoint")));
        given().contentType("application/json").body("{\"grant_types\":[\"client_credentials\"]}")
                .when().post(hydra.issuer() + "/oauth2/register").then().statusCode(404);
        try (HydraServer open = new HydraServer(true)) {
            String endpoint = given().when().get(open.issuer() + "/.well-known/openid-configuration").then()
                    .statusCode(200).extract().path("registration_endpoint");
            assertEquals(open.issuer() + "/oauth2/register", endpoint);
            // No token: Hydra's registration is open (the token is for managing the client afterwards).
            String clientId = given().contentType("application/json")
                    .body("{\"grant_types\":[\"client_credentials\"],\"scope\":\"read:messages\",\"audience\":[\""
                            + HydraServerResource.API + "\"]}")
                    .when().post(endpoint).then().statusCode(201)
                    .body("client_secret.length()", equalTo(26))
                    .body("registration_access_token", startsWith("ory_at_"))
                    .extract().path("client_id");
            assertTrue(clientId.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), clientId);
        }
    }

    @Test
    void theLogHoldsNeitherTheSecretNorATokenOfTheProject() throws IOException {
        assertEquals(200, statusOf(api::protectedMessage));
        assertLogHoldsNone(HydraServerResource.CALLER_SECRET, hydra.issuedTokens());
    }
}
