package com.example.m2m.providers;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;

import com.example.m2m.api.Endpoints;
import com.example.m2m.client.MessagesApi;
import com.example.m2m.testsupport.providers.Auth0Tenant;
import com.example.m2m.testsupport.providers.Auth0TenantResource;
import com.example.m2m.testsupport.providers.ProviderImitation;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The README's Auth0 row, against an imitation of an Auth0 tenant ({@link Auth0Tenant}, the pages it follows are cited
 * there): service {@code ISSUER=https://<tenant>.auth0.com/} (with its trailing slash), {@code AUDIENCE=<API
 * identifier>}; caller {@code TEST_CLIENT_ID}, {@code TEST_CLIENT_SECRET}, {@code TEST_CLIENT_AUDIENCE=<API
 * identifier>}. The caller gets an M2M token in the Auth0 profile (sub {@code <client id>@clients}, azp, gty) and
 * calls the API; the API names the client by {@code azp}; a token for another API of the same tenant is refused.
 * RBAC: {@code Auth0RbacTest}; the RFC 9068 profile: {@code Auth0Rfc9068Test}; the caller without
 * {@code TEST_CLIENT_AUDIENCE}: {@code Auth0CallerWithoutAudienceTest}.
 */
@QuarkusTest
@WithTestResource(value = Auth0TenantResource.class, initArgs = @ResourceArg(name = "row", value = "auth0"))
class Auth0Test {

    Auth0Tenant tenant;

    @Inject
    @RestClient
    MessagesApi api;

    @Test
    void theCallerGetsAnM2mTokenForTheApiAndCallsIt() {
        assertEquals("Hello World!", api.hello().get("message").asText());
        assertEquals(200, statusOf(api::protectedMessage));

        // What the caller sent to /oauth/token: the grant, the API's identifier as audience, its scope; the secret
        // in the form (TEST_CLIENT_SECRET_METHOD=post, as a new Auth0 application expects it).
        Map<String, String> form = lastForm(tenant, "/oauth/token");
        assertEquals("client_credentials", form.get("grant_type"));
        assertEquals(Auth0TenantResource.API, form.get("audience"));
        assertEquals(Endpoints.READ_SCOPE, form.get("scope"));
        assertEquals(Auth0TenantResource.CALLER_ID, form.get("client_id"));
        assertEquals("***", form.get("client_secret"), "sent in the form (blanked by the imitation's record)");

        // The token, as Auth0 mints it in the Auth0 profile.
        List<String> forTheApi = tenant.issuedFor(Auth0TenantResource.API);
        assertEquals(1, forTheApi.size(), "one token for all the calls");
        String token = forTheApi.get(0);
        assertEquals(List.of("alg", "typ", "kid"), List.copyOf(header(token).keySet()));
        assertEquals("JWT", header(token).get("typ"));
        Map<String, Object> claims = ProviderImitation.claimsOf(token);
        assertEquals(List.of("iss", "sub", "aud", "iat", "exp", "scope", "gty", "azp"), List.copyOf(claims.keySet()));
        assertEquals(tenant.issuer(), claims.get("iss"));
        assertTrue(tenant.issuer().endsWith("/"));
        assertEquals(Auth0TenantResource.CALLER_ID + "@clients", claims.get("sub"));
        assertEquals(Auth0TenantResource.API, claims.get("aud"));
        assertEquals("client-credentials", claims.get("gty"));
        assertEquals(Auth0TenantResource.CALLER_ID, claims.get("azp"));
    }

    @Test
    void whoamiNamesTheClientByAzpNotTheClientsSubject() {
        JsonNode me = api.whoami();
        assertEquals(Auth0TenantResource.CALLER_ID, me.get("clientId").asText());
        assertScopes(me, Set.of(Endpoints.READ_SCOPE));
        assertEquals(tenant.issuer(), me.get("issuer").asText());
    }

    @Test
    void theAdminEndpointRefusesAClientWithoutTheScope() {
        assertEquals(403, statusOf(api::adminMessage));
    }

    @Test
    void aTokenTheTenantIssuedForAnotherApiIsRefused() {
        String other = given().formParam("client_id", Auth0TenantResource.CALLER_ID)
                    .formParam("client_secret", Auth0TenantResource.CALLER_SECRET)
                .formParam("grant_type", "client_credentials").formParam("audience", Auth0TenantResource.OTHER_API)
                .when().post(tenant.tokenEndpoint()).then().statusCode(200).extract().path("access_token");
        assertEquals(Auth0TenantResource.OTHER_API, ProviderImitation.claimsOf(other).get("aud"));
        given().auth().oauth2(other).when().get(Endpoints.PROTECTED).then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""));
        given().auth().oauth2(other).when().get(Endpoints.WHOAMI).then().statusCode(401);
    }

    @Test
    void theTenantRefusesAClientWithoutAGrantForTheApi() {
        // Auth0's 403 (https://github.com/auth0/ruby-auth0/issues/610): the imitation is as strict as the real one.
        given().auth().preemptive().basic(Auth0TenantResource.UNGRANTED_ID, Auth0TenantResource.UNGRANTED_SECRET)
                .formParam("grant_type", "client_credentials").formParam("audience", Auth0TenantResource.API)
                .when().post(tenant.tokenEndpoint()).then().statusCode(403)
                .body("error", equalTo("access_denied"))
                .body("error_description", equalTo("Client is not authorized to access \"" + Auth0TenantResource.API
                        + "\". You need to create a \"client-grant\" associated to this API. See:"
                        + " https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants"));
    }

    @Test
    void theLogHoldsNeitherTheSecretNorATokenOfTheTenant() throws IOException {
        assertEquals("Hello World!", api.hello().get("message").asText());
        assertLogHoldsNone(Auth0TenantResource.CALLER_SECRET, tenant.issuedTokens());
    }

    // ---- shared with the other Auth0 and Ory tests ----

    /** The status a call of the in-process caller got: 200, or the API's refusal. */
    static int statusOf(Runnable call) {
        try {
            call.run();
            return 200;
        } catch (WebApplicationException refused) {
            return refused.getResponse().getStatus();
        }
    }

    /** The form of the last request the imitation received at {@code path}. */
    static Map<String, String> lastForm(ProviderImitation imitation, String path) {
        List<ProviderImitation.Request> requests = imitation.requestsTo(path);
        assertFalse(requests.isEmpty(), "no request to " + path);
        return requests.get(requests.size() - 1).form();
    }

    /** A JWT's header, members in their order. */
    static Map<String, Object> header(String token) {
        try {
            return JsonUtil.parseJson(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]),
                    StandardCharsets.UTF_8));
        } catch (JoseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The whole run's log (target/test-logs/quarkus.log) holds neither the secret nor any of the tokens. */
    static void assertLogHoldsNone(String secret, List<String> tokens) throws IOException {
        String log = Files.readString(Path.of("target", "test-logs", "quarkus.log"), StandardCharsets.UTF_8);
        assertFalse(log.contains(secret), "the client secret is in the log");
        for (String token : tokens) {
            assertFalse(log.contains(token), "an access token is in the log");
            assertFalse(log.contains(token.substring(token.lastIndexOf('.') + 1)), "a token's signature is in the log");
        }
    }

    /** The exception of this type in a failure's chain of causes. */
    static <T extends Throwable> T causeOfType(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + t, t);
    }

    /** whoami's {@code scopes}: exactly these. */
    static void assertScopes(JsonNode me, Set<String> expected) {
        Set<String> scopes = new java.util.TreeSet<>();
        me.get("scopes").forEach(s -> scopes.add(s.asText()));
        assertEquals(expected, scopes);
    }
}
