package com.example.m2m.providers;

import static com.example.m2m.providers.Auth0Test.assertScopes;
import static com.example.m2m.providers.Auth0Test.header;
import static com.example.m2m.providers.Auth0Test.statusOf;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.Test;

import com.example.m2m.api.Endpoints;
import com.example.m2m.client.MessagesApi;
import com.example.m2m.testsupport.providers.Auth0Tenant;
import com.example.m2m.testsupport.providers.Auth0Tenant.Dialect;
import com.example.m2m.testsupport.providers.Auth0TenantResource;
import com.example.m2m.testsupport.providers.ProviderImitation;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The README's Auth0 row for an API in the RFC 9068 profile (APIs > [API] > Settings > "JSON Web Token (JWT)
 * Profile": RFC 9068; https://auth0.com/docs/get-started/apis/configure-access-token-profile): the settings of
 * {@link Auth0Test} plus {@code REQUIRE_RFC9068=true}. The token says {@code typ: at+jwt} and carries
 * {@code client_id} and {@code jti} instead of {@code azp} and {@code gty}
 * (https://auth0.com/docs/secure/tokens/access-tokens/access-token-profiles); the API names the client by
 * {@code client_id}, and refuses the same API's tokens once the API is switched back to the Auth0 profile.
 */
@QuarkusTest
@WithTestResource(value = Auth0TenantResource.class, initArgs = @ResourceArg(name = "row", value = "auth0-rfc9068"))
class Auth0Rfc9068Test {

    Auth0Tenant tenant;

    @Inject
    @RestClient
    MessagesApi api;

    @Test
    void theCallerGetsAnRfc9068TokenAndTheApiAcceptsIt() {
        assertEquals("Hello World!", api.hello().get("message").asText());
        assertEquals(200, statusOf(api::protectedMessage));
        assertEquals(403, statusOf(api::adminMessage));
        JsonNode me = api.whoami();
        assertEquals(Auth0TenantResource.CALLER_ID, me.get("clientId").asText());
        assertScopes(me, Set.of(Endpoints.READ_SCOPE));

        String token = tenant.lastIssuedToken();
        assertEquals(List.of("alg", "typ", "kid"), List.copyOf(header(token).keySet()));
        assertEquals("at+jwt", header(token).get("typ"));
        Map<String, Object> claims = ProviderImitation.claimsOf(token);
        assertEquals(List.of("iss", "sub", "aud", "client_id", "exp", "iat", "jti", "scope"),
                List.copyOf(claims.keySet()));
        assertEquals(Auth0TenantResource.CALLER_ID, claims.get("client_id"));
        assertEquals(Auth0TenantResource.API, Auth0Test.lastForm(tenant, "/oauth/token").get("audience"));
    }

    @Test
    void anAuth0ProfileTokenIsRefusedWhenRfc9068IsRequired() {
        tenant.setDialect(Auth0TenantResource.API, Dialect.ACCESS_TOKEN);
        try {
            String auth0Profile = given().formParam("client_id", Auth0TenantResource.CALLER_ID)
                    .formParam("client_secret", Auth0TenantResource.CALLER_SECRET)
                    .formParam("grant_type", "client_credentials").formParam("audience", Auth0TenantResource.API)
                    .when().post(tenant.tokenEndpoint()).then().statusCode(200).extract().path("access_token");
            assertEquals("JWT", header(auth0Profile).get("typ"));
            given().auth().oauth2(auth0Profile).when().get(Endpoints.PROTECTED).then().statusCode(401)
                    .header("WWW-Authenticate", containsString("error=\"invalid_token\""));
        } finally {
            tenant.setDialect(Auth0TenantResource.API, Dialect.RFC9068_PROFILE);
        }
    }
}
