package com.example.m2m.providers;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jose4j.json.JsonUtil;
import org.junit.jupiter.api.Test;

import com.example.m2m.api.Endpoints;
import com.example.m2m.client.MessagesApi;
import com.example.m2m.testsupport.providers.OktaOrg;
import com.example.m2m.testsupport.providers.OktaResource;
import com.example.m2m.testsupport.providers.OktaResource.Okta;
import com.example.m2m.testsupport.providers.ProviderImitation;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The original Node sample's whole flow on Okta (its own system), against an imitation of one Okta org
 * ({@link OktaOrg}, which cites Okta's pages), with the README's Okta settings: the caller gets a token from the
 * custom authorization server and calls the API; a trusted caller registers a new client through
 * {@code POST /api/clients}, which the service does at the org server's {@code /oauth2/v1/clients} with a token of the
 * org server (private_key_jwt, {@code okta.clients.register}); the new client gets a token at the custom server and
 * calls the API.
 */
@QuarkusTest
@WithTestResource(OktaResource.class)
@TestProfile(OktaTest.CallerOn.class)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class OktaTest {

    /** The caller's OIDC client on, as {@code java -jar ... call} has it. */
    public static class CallerOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.oidc-client.client-enabled", "true");
        }
    }

    Okta okta;

    @Inject
    @RestClient
    MessagesApi api;

    @Test
    @org.junit.jupiter.api.Order(1) // the caller's first token request is the first one the custom server sees
    void theCallerGetsATokenFromTheCustomServerAndIsServed() {
        assertEquals("Hello World!", api.hello().get("message").asText());
        var whoami = api.whoami();
        // Okta names the client in cid (and sub): whoami shows it.
        assertEquals(OktaResource.CALLER_ID, whoami.get("clientId").asText());
        assertEquals(okta.org().customIssuer(), whoami.get("issuer").asText());
        // The caller asked the custom server for DEFAULT_SCOPE, with its secret (client_secret_basic).
        var requests = okta.org().requestsTo("/oauth2/default/v1/token");
        assertFalse(requests.isEmpty());
        assertEquals("read:messages", requests.get(0).form().get("scope"));
    }

    @Test
    void theOriginalRegisterFlowRunsEndToEnd() throws Exception {
        String trusted = customServerToken(OktaResource.CALLER_ID, OktaResource.CALLER_SECRET, "clients:register");
        var created = given().auth().oauth2(trusted).contentType("application/json")
                .body("{\"label\":\"billing-batch\",\"scopes\":[\"read:messages\"]}")
                .when().post(Endpoints.CLIENTS).then().statusCode(201)
                .header("Cache-Control", "no-store")
                // Where the new client gets tokens for this API: the custom server, not the org server.
                .body("token_endpoint", equalTo(okta.org().customTokenEndpoint()))
                .body("token_endpoint_auth_method", equalTo("client_secret_basic"))
                .extract().jsonPath();
        String clientId = created.getString("client_id");
        String secret = created.getString("client_secret");
        assertTrue(clientId.startsWith("0oa"), clientId);

        // Okta received a service app (REGISTRATION_METADATA), authorised by an org-server token of the registrar.
        Map<String, Object> registered = okta.org().registeredClient(clientId);
        assertEquals("service", registered.get("application_type"));
        assertEquals(List.of("client_credentials"), registered.get("grant_types"));
        assertEquals("billing-batch", registered.get("client_name"));
        var orgTokenRequest = okta.org().requestsTo("/oauth2/v1/token").get(0).form();
        assertEquals(OktaOrg.REGISTER_SCOPE, orgTokenRequest.get("scope"));
        assertEquals("urn:ietf:params:oauth:client-assertion-type:jwt-bearer", orgTokenRequest.get("client_assertion_type"));

        // The new client: a token at the custom server with its secret, then the API.
        String token = customServerToken(clientId, secret, "read:messages");
        given().auth().oauth2(token).when().get(Endpoints.PROTECTED).then().log().ifValidationFails().statusCode(200);
        given().auth().oauth2(token).when().get(Endpoints.WHOAMI).then().statusCode(200)
                .body("clientId", equalTo(clientId)).body("scopes", hasItem("read:messages"));
        given().auth().oauth2(token).when().get(Endpoints.ADMIN).then().statusCode(403);

        // Never the new secret, the caller's secret or the registrar's private key in the log.
        String log = Files.readString(Path.of("target", "test-logs", "quarkus.log"), StandardCharsets.UTF_8);
        String privateExponent = String.valueOf(JsonUtil.parseJson(okta.registrarKey()
                .toJson(org.jose4j.jwk.JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE)).get("d"));
        List<String> secrets = new java.util.ArrayList<>(List.of(secret, OktaResource.CALLER_SECRET, privateExponent,
                trusted));
        secrets.addAll(okta.org().assertions()); // the registrar's private_key_jwt assertions
        assertFalse(okta.org().assertions().isEmpty());
        for (String secretValue : secrets) {
            assertFalse(log.contains(secretValue), "a secret, key, assertion or token in the log");
        }
        assertTrue(log.contains(clientId), "the new client id is logged (audit)");
    }

    @Test
    void anOrgServerTokenIsNotAnApiToken() {
        // The registrar's kind of token (iss the org, aud the org URL): another issuer, refused.
        String orgToken = okta.org().orgToken(OktaResource.REGISTRAR_ID, Set.of(OktaOrg.REGISTER_SCOPE));
        given().auth().oauth2(orgToken).when().get(Endpoints.WHOAMI).then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""));
    }

    @Test
    void scopesComeFromTheScpArray() {
        String admin = customServerToken(OktaResource.ADMIN_ID, OktaResource.ADMIN_SECRET, "admin:messages");
        assertTrue(ProviderImitation.claimsOf(admin).get("scp") instanceof List<?>, "Okta's scp is an array");
        given().auth().oauth2(admin).when().get(Endpoints.ADMIN).then().statusCode(200);
        given().auth().oauth2(admin).when().get(Endpoints.PROTECTED).then().statusCode(403)
                .header("WWW-Authenticate", containsString("scope=\"read:messages\""));
    }

    /** A client-credentials token from the custom server, as a client gets one (README: curl -u id:secret). */
    private String customServerToken(String clientId, String secret, String scope) {
        try {
            String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(okta.org().customTokenEndpoint())).header("Authorization", "Basic " + basic)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=" + scope)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
            return String.valueOf(JsonUtil.parseJson(answer.body()).get("access_token"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
