package com.example.m2m.providers;

import static com.example.m2m.providers.Auth0Test.causeOfType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.Test;

import com.example.m2m.client.MessagesApi;
import com.example.m2m.testsupport.providers.Auth0Tenant;
import com.example.m2m.testsupport.providers.Auth0TenantResource;

import io.quarkus.oidc.client.OidcClientException;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The Auth0 row without {@code TEST_CLIENT_AUDIENCE}: Auth0 requires {@code audience} for the client-credentials
 * grant (https://auth0.com/docs/api/authentication/client-credential-flow/get-token) and, with no tenant Default
 * Audience, answers {@code access_denied} "No audience parameter was provided, and no default audience has been
 * configured". The caller gets no token and calls nothing.
 */
@QuarkusTest
@WithTestResource(value = Auth0TenantResource.class,
        initArgs = @ResourceArg(name = "row", value = "auth0-caller-without-audience"))
class Auth0CallerWithoutAudienceTest {

    Auth0Tenant tenant;

    @Inject
    @RestClient
    MessagesApi api;

    @Test
    void withoutTheAudienceTheCallerGetsNoToken() {
        RuntimeException failure = assertThrows(RuntimeException.class, api::hello);
        OidcClientException noToken = causeOfType(failure, OidcClientException.class);
        assertTrue(noToken.getMessage().contains("No audience parameter was provided"), noToken.getMessage());

        Map<String, String> form = Auth0Test.lastForm(tenant, "/oauth/token");
        assertEquals("client_credentials", form.get("grant_type"));
        assertFalse(form.containsKey("audience"), form.toString());
        assertTrue(tenant.issuedTokens().isEmpty());
    }
}
