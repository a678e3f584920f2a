package com.example.m2m.providers;

import static com.example.m2m.providers.Auth0Test.assertScopes;
import static com.example.m2m.providers.Auth0Test.header;
import static com.example.m2m.providers.Auth0Test.statusOf;
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
import com.example.m2m.testsupport.providers.Auth0TenantResource;
import com.example.m2m.testsupport.providers.ProviderImitation;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The README's Auth0 row with RBAC on (APIs > [API] > Settings > "Enable RBAC" and "Add Permissions in the Access
 * Token", token dialect {@code access_token_authz}; https://auth0.com/docs/get-started/apis/enable-role-based-access-control-for-apis):
 * the same settings as {@link Auth0Test}. The token carries a {@code permissions} array beside its {@code scope}
 * string, and the API goes on reading the scope.
 */
@QuarkusTest
@WithTestResource(value = Auth0TenantResource.class, initArgs = @ResourceArg(name = "row", value = "auth0-rbac"))
class Auth0RbacTest {

    Auth0Tenant tenant;

    @Inject
    @RestClient
    MessagesApi api;

    @Test
    void theCallerGetsAnRbacTokenAndTheApiReadsItsScope() {
        assertEquals("Hello World!", api.hello().get("message").asText());
        assertEquals(200, statusOf(api::protectedMessage));
        assertEquals(403, statusOf(api::adminMessage));
        JsonNode me = api.whoami();
        assertEquals(Auth0TenantResource.CALLER_ID, me.get("clientId").asText());
        assertScopes(me, Set.of(Endpoints.READ_SCOPE));

        String token = tenant.lastIssuedToken();
        assertEquals("JWT", header(token).get("typ"));
        Map<String, Object> claims = ProviderImitation.claimsOf(token);
        assertEquals(List.of("iss", "sub", "aud", "iat", "exp", "scope", "permissions", "gty", "azp"),
                List.copyOf(claims.keySet()));
        assertEquals(Endpoints.READ_SCOPE, claims.get("scope"));
        assertEquals(List.of(Endpoints.READ_SCOPE), claims.get("permissions"));
        assertEquals(Auth0TenantResource.API, Auth0Test.lastForm(tenant, "/oauth/token").get("audience"));
    }
}
