package com.example.m2m.providers;

import static com.example.m2m.providers.EntraChecks.callerRequests;
import static com.example.m2m.providers.EntraChecks.refused;
import static com.example.m2m.providers.EntraChecks.v2Token;
import static com.example.m2m.testsupport.providers.EntraTenantResource.ADMIN_ID;
import static com.example.m2m.testsupport.providers.EntraTenantResource.ADMIN_SECRET;
import static com.example.m2m.testsupport.providers.EntraTenantResource.API_ID;
import static com.example.m2m.testsupport.providers.EntraTenantResource.CALLER_ID;
import static com.example.m2m.testsupport.providers.EntraTenantResource.CALLER_SECRET;
import static com.example.m2m.testsupport.providers.ProviderImitation.claimsOf;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

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
 * The README's Entra ID v2.0 row against an imitated tenant whose API app asks for v2.0 tokens
 * ({@code accessTokenAcceptedVersion: 2}, https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens):
 * service {@code ISSUER=<base>/<tid>/v2.0}, {@code AUDIENCE=<API application id>}, {@code SCOPE_CLAIMS=roles};
 * caller {@code TEST_CLIENT_ID}, {@code TEST_CLIENT_SECRET}, {@code TEST_CLIENT_SCOPE=api://<API application id>/.default}.
 * A v2.0 token's {@code aud} is always the API's application id, its client is {@code azp}, its permissions are the app
 * roles in {@code roles} (https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference).
 * Where the audience is an application id, an ID token issued to the API app has the same {@code aud}: refused
 * (AccessTokenOnly); Entra's keys carry no {@code alg}: they verify RS256 only (KeyAlgorithm).
 */
@QuarkusTest
@WithTestResource(value = EntraTenantResource.class, initArgs = @ResourceArg(name = "row", value = "v2"))
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EntraV2Test {

    private static final String TOKEN_PATH = "/" + EntraTenantResource.TENANT_ID + "/oauth2/v2.0/token";

    EntraTenant entra;

    @Inject
    @RestClient
    MessagesApi api;

    @Test
    @Order(1)
    void theCallerGetsAnAppOnlyV2TokenAndCallsTheApi() {
        assertEquals("Hello World!", api.hello().get("message").asText());
        assertTrue(api.protectedMessage().get("message").asText().contains(Endpoints.READ_SCOPE));
        JsonNode me = api.whoami();
        // azp, the client's application id; not oid/sub, its service principal's object id.
        assertEquals(CALLER_ID, me.get("clientId").asText());
        assertNotEquals(CALLER_ID, entra.servicePrincipalId(CALLER_ID));
        assertEquals(entra.v2Authority(), me.get("issuer").asText());
        assertEquals("[\"" + Endpoints.READ_SCOPE + "\"]", me.get("scopes").toString());
        // One token for all the calls, asked for as the row says: the .default scope of the API's App ID URI.
        List<Request> asked = callerRequests(entra, TOKEN_PATH);
        assertEquals(1, asked.size(), asked.toString());
        assertEquals("client_credentials", asked.get(0).form().get("grant_type"));
        assertEquals("api://" + API_ID + "/.default", asked.get(0).form().get("scope"));
        assertEquals(List.of(), entra.refusals());
    }

    @Test
    @Order(2)
    void onlyAClientGrantedTheAdminRoleReadsTheAdminMessage() {
        WebApplicationException refused = assertThrows(WebApplicationException.class, api::adminMessage);
        assertEquals(403, refused.getResponse().getStatus());

        Map<String, Object> answer = v2Token(entra, ADMIN_ID, ADMIN_SECRET, "api://" + API_ID + "/.default");
        assertEquals("Bearer", answer.get("token_type"));
        assertEquals(3599, answer.get("expires_in"));
        assertFalse(answer.containsKey("scope"));
        String token = (String) answer.get("access_token");
        Map<String, Object> claims = claimsOf(token);
        assertEquals(API_ID, claims.get("aud"));
        assertEquals(entra.v2Authority(), claims.get("iss"));
        assertEquals("2.0", claims.get("ver"));
        assertEquals(ADMIN_ID, claims.get("azp"));
        assertEquals("1", claims.get("azpacr"));
        assertEquals(List.of(Endpoints.ADMIN_SCOPE, Endpoints.READ_SCOPE), claims.get("roles"));
        assertEquals(entra.servicePrincipalId(ADMIN_ID), claims.get("oid"));
        assertEquals(claims.get("oid"), claims.get("sub"));
        assertFalse(claims.containsKey("scp"));
        assertFalse(claims.containsKey("appid"));
        assertEquals(Map.of("typ", "JWT", "alg", "RS256", "kid", entra.currentKey().kid()), header(token));

        given().auth().oauth2(token).when().get(Endpoints.ADMIN).then().statusCode(200);
        given().auth().oauth2(token).when().get(Endpoints.WHOAMI).then().statusCode(200)
                .body("clientId", equalTo(ADMIN_ID));
    }

    @Test
    @Order(3)
    void anIdTokenTheTenantIssuedToTheApiAppIsRefused() {
        // Same issuer, same key, and aud = the API's application id, i.e. AUDIENCE: only what it is tells it apart.
        String idToken = entra.idToken(UUID.randomUUID().toString(), "n-0S6_WzA2Mj");
        assertEquals(API_ID, claimsOf(idToken).get("aud"));
        refused(idToken, Endpoints.WHOAMI, EntraChecks.NOT_AN_ACCESS_TOKEN);
        refused(idToken, Endpoints.PROTECTED, EntraChecks.NOT_AN_ACCESS_TOKEN);
    }

    @Test
    @Order(4)
    void entrasKeysHaveNoAlgAndVerifyRs256Only() {
        Map<String, Object> key = given().when().get(entra.base() + "/" + EntraTenantResource.TENANT_ID
                + "/discovery/v2.0/keys").then().statusCode(200).extract().jsonPath().getMap("keys[0]");
        assertEquals(List.of("kty", "use", "kid", "x5t", "n", "e", "x5c", "issuer"), List.copyOf(key.keySet()));
        assertEquals(key.get("kid"), key.get("x5t"));
        assertEquals(27, ((String) key.get("kid")).length());
        // x5c: a real certificate of the key itself.
        RSAPublicKey certified = (RSAPublicKey) certificate(key).getPublicKey();
        assertEquals(entra.currentKey().publicKey().getModulus(), certified.getModulus());
        assertFalse(key.containsKey("alg"));

        Map<String, Object> claims = entra.accessTokenClaims(CALLER_ID, 2, API_ID, "1", Set.of(Endpoints.READ_SCOPE));
        String rs256 = entra.signWith("RS256", entra.header(2), claims);
        given().auth().oauth2(rs256).when().get(Endpoints.PROTECTED).then().statusCode(200);
        for (String alg : List.of("PS256", "RS512")) {
            Map<String, Object> header = entra.header(2);
            header.put("alg", alg);
            Map<String, Object> otherClaims = entra.accessTokenClaims(CALLER_ID, 2, API_ID, "1",
                    Set.of(Endpoints.READ_SCOPE));
            refused(entra.signWith(alg, header, otherClaims), Endpoints.PROTECTED, EntraChecks.WRONG_ALGORITHM);
        }
    }

    @Test
    @Order(5)
    void noClientSecretIsLogged() throws IOException {
        EntraChecks.notLogged(CALLER_SECRET, ADMIN_SECRET);
    }

    private static Map<String, Object> header(String token) {
        String json = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8);
        return new io.vertx.core.json.JsonObject(json).getMap();
    }

    private static X509Certificate certificate(Map<String, Object> jwk) {
        try {
            byte[] der = Base64.getDecoder().decode(((List<?>) jwk.get("x5c")).get(0).toString());
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
