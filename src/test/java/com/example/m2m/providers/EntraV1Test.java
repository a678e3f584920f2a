package com.example.m2m.providers;

import static com.example.m2m.providers.EntraChecks.callerRequests;
import static com.example.m2m.providers.EntraChecks.refused;
import static com.example.m2m.providers.EntraChecks.v1Token;
import static com.example.m2m.providers.EntraChecks.v2Token;
import static com.example.m2m.testsupport.providers.EntraTenantResource.ADMIN_ID;
import static com.example.m2m.testsupport.providers.EntraTenantResource.ADMIN_SECRET;
import static com.example.m2m.testsupport.providers.EntraTenantResource.API_ID;
import static com.example.m2m.testsupport.providers.EntraTenantResource.CALLER_ID;
import static com.example.m2m.testsupport.providers.EntraTenantResource.CALLER_SECRET;
import static com.example.m2m.testsupport.providers.EntraTenantResource.TENANT_ID;
import static com.example.m2m.testsupport.providers.ProviderImitation.claimsOf;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.example.m2m.api.Endpoints;
import com.example.m2m.client.MessagesApi;
import com.example.m2m.testsupport.providers.EntraTenant;
import com.example.m2m.testsupport.providers.EntraTenantResource;
import com.example.m2m.testsupport.providers.ProviderImitation.Request;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The README's Entra ID v1.0 row against an imitated tenant whose API app leaves {@code accessTokenAcceptedVersion}
 * null, so that it gets v1.0 tokens whichever endpoint the client calls
 * (https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens): service
 * {@code ISSUER=<base>/<tid>} (the v1.0 authority, whose discovery declares {@code https://sts.windows.net/<tid>/}),
 * {@code AUDIENCE=api://<API application id>}, {@code SCOPE_CLAIMS=roles}; caller {@code TEST_CLIENT_ID},
 * {@code TEST_CLIENT_SECRET}, {@code TEST_CLIENT_SCOPE=api://<API application id>/.default} <b>and</b>
 * {@code TEST_CLIENT_RESOURCE=api://<API application id>}.
 * <p>
 * The caller takes its token endpoint from the first {@code ISSUER}'s discovery: here the v1.0 {@code /oauth2/token},
 * which names the API by {@code resource} and ignores {@code scope}
 * (https://learn.microsoft.com/en-us/previous-versions/azure/active-directory/azuread-dev/v1-oauth2-client-creds-grant-flow);
 * without {@code resource} it issues a token for Azure AD Graph, which the API refuses
 * ({@link #withoutResourceTheV1EndpointIssuesAGraphTokenTheApiRefuses}). A v1.0 token names its client in
 * {@code appid} (https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference).
 */
@QuarkusTest
@WithTestResource(value = EntraTenantResource.class, initArgs = {
        @ResourceArg(name = "row", value = "v1"),
        @ResourceArg(name = "TEST_CLIENT_RESOURCE", value = "api://" + EntraTenantResource.API_ID) })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EntraV1Test {

    private static final String V1_TOKEN_PATH = "/" + TENANT_ID + "/oauth2/token";

    EntraTenant entra;

    @Inject
    @RestClient
    MessagesApi api;

    @Test
    @Order(1)
    void theCallerGetsAnAppOnlyV1TokenAndCallsTheApi() {
        assertEquals("Hello World!", api.hello().get("message").asText());
        assertTrue(api.protectedMessage().get("message").asText().contains(Endpoints.READ_SCOPE));
        JsonNode me = api.whoami();
        // appid, the client's application id; not oid/sub, its service principal's object id.
        assertEquals(CALLER_ID, me.get("clientId").asText());
        assertEquals(EntraTenant.stsIssuer(TENANT_ID), me.get("issuer").asText());
        assertEquals("[\"" + Endpoints.READ_SCOPE + "\"]", me.get("scopes").toString());
        // At the v1.0 endpoint (the first ISSUER's discovery), with resource; once for all the calls.
        List<Request> asked = callerRequests(entra, V1_TOKEN_PATH);
        assertEquals(1, asked.size(), asked.toString());
        assertEquals("api://" + API_ID, asked.get(0).form().get("resource"));
        assertEquals("client_credentials", asked.get(0).form().get("grant_type"));
        assertEquals(List.of(), entra.refusals());
    }

    @Test
    @Order(2)
    void onlyAClientGrantedTheAdminRoleReadsTheAdminMessage() {
        WebApplicationException refused = assertThrows(WebApplicationException.class, api::adminMessage);
        assertEquals(403, refused.getResponse().getStatus());

        Map<String, Object> answer = v1Token(entra, ADMIN_ID, ADMIN_SECRET, "api://" + API_ID, null);
        // The v1.0 answer's numbers are strings, and it names the resource.
        assertEquals("3599", answer.get("expires_in"));
        assertEquals("api://" + API_ID, answer.get("resource"));
        String token = (String) answer.get("access_token");
        Map<String, Object> claims = claimsOf(token);
        assertEquals("api://" + API_ID, claims.get("aud"));
        assertEquals(EntraTenant.stsIssuer(TENANT_ID), claims.get("iss"));
        assertEquals(claims.get("iss"), claims.get("idp"));
        assertEquals("1.0", claims.get("ver"));
        assertEquals(ADMIN_ID, claims.get("appid"));
        assertEquals("1", claims.get("appidacr"));
        assertEquals(List.of(Endpoints.ADMIN_SCOPE, Endpoints.READ_SCOPE), claims.get("roles"));
        assertEquals(entra.servicePrincipalId(ADMIN_ID), claims.get("sub"));
        assertFalse(claims.containsKey("azp"));
        assertFalse(claims.containsKey("scp"));
        String header = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]));
        String kid = entra.currentKey().kid();
        assertEquals("{\"typ\":\"JWT\",\"alg\":\"RS256\",\"x5t\":\"" + kid + "\",\"kid\":\"" + kid + "\"}", header);

        given().auth().oauth2(token).when().get(Endpoints.ADMIN).then().statusCode(200);
        given().auth().oauth2(token).when().get(Endpoints.WHOAMI).then().statusCode(200)
                .body("clientId", equalTo(ADMIN_ID));
    }

    @Test
    @Order(3)
    void withoutResourceTheV1EndpointIssuesAGraphTokenTheApiRefuses() {
        // What the caller of the row without TEST_CLIENT_RESOURCE sends: scope only, ignored by the v1.0 endpoint.
        String graph = (String) v1Token(entra, CALLER_ID, CALLER_SECRET, null, "api://" + API_ID + "/.default")
                .get("access_token");
        assertEquals(EntraTenant.AAD_GRAPH, claimsOf(graph).get("aud"));
        refused(graph, Endpoints.WHOAMI, "audience");
    }

    @Test
    @Order(4)
    void theV2EndpointIssuesV1TokensToo() {
        // The version follows the API's manifest, not the endpoint: accepted by the v1.0 row.
        String token = (String) v2Token(entra, CALLER_ID, CALLER_SECRET, "api://" + API_ID + "/.default")
                .get("access_token");
        assertEquals("1.0", claimsOf(token).get("ver"));
        given().auth().oauth2(token).when().get(Endpoints.WHOAMI).then().statusCode(200)
                .body("clientId", equalTo(CALLER_ID));
    }

    @Test
    @Order(5)
    void theV1DocumentDeclaresTheStsIssuerAndItsKeysHaveNoAlg() {
        given().when().get(entra.v1Authority() + "/.well-known/openid-configuration").then().statusCode(200)
                .body("issuer", equalTo(EntraTenant.stsIssuer(TENANT_ID)))
                .body("token_endpoint", equalTo(entra.v1TokenEndpoint()))
                .body("jwks_uri", equalTo(entra.v1Authority() + "/discovery/keys"));
        Map<String, Object> key = given().when().get(entra.v1Authority() + "/discovery/keys").then().statusCode(200)
                .extract().jsonPath().getMap("keys[0]");
        assertEquals(List.of("kty", "use", "kid", "x5t", "n", "e", "x5c"), List.copyOf(key.keySet()));
    }

    @Test
    @Order(6)
    void noClientSecretIsLogged() throws IOException {
        EntraChecks.notLogged(CALLER_SECRET, ADMIN_SECRET);
    }
}
