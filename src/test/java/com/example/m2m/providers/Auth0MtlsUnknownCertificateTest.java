package com.example.m2m.providers;

import static com.example.m2m.providers.Auth0Test.causeOfType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.Test;

import com.example.m2m.client.MessagesApi;
import com.example.m2m.testsupport.providers.Auth0Tenant;
import com.example.m2m.testsupport.providers.Auth0TenantResource;
import com.example.m2m.testsupport.providers.ProviderImitation;

import io.quarkus.oidc.client.OidcClientException;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@link Auth0MtlsTest}'s setup with the caller presenting another certificate ({@code other-client}: same CA, so
 * the alias host's handshake takes it, another subject DN than the application's credential, M2). The tenant
 * refuses to authenticate the caller by it: no token, and the call fails in the caller's OIDC client filter
 * ({@code OidcClientException}), before any request to the API.
 */
@QuarkusTest
@WithTestResource(value = Auth0TenantResource.class,
        initArgs = @ResourceArg(name = "row", value = "auth0-mtls-unknown-certificate"))
class Auth0MtlsUnknownCertificateTest {

    Auth0Tenant tenant;

    @Inject
    @RestClient
    MessagesApi api;

    @Test
    void aCertificateTheTenantDoesNotKnowGetsNoToken() {
        RuntimeException failure = assertThrows(RuntimeException.class, api::whoami);
        OidcClientException noToken = causeOfType(failure, OidcClientException.class);
        assertTrue(noToken.getMessage().contains("access_denied"), noToken.getMessage());

        // Refused by the tenant, past the handshake: the request reached it through the alias.
        List<ProviderImitation.Request> tokenRequests = tenant.requestsTo("/oauth/token");
        assertFalse(tokenRequests.isEmpty());
        for (ProviderImitation.Request request : tokenRequests) {
            assertEquals(tenant.mtlsBase(), request.origin());
            assertEquals(Auth0TenantResource.MTLS_CALLER_ID, request.form().get("client_id"));
        }
        assertTrue(tenant.issuedTokens().isEmpty());
    }
}
