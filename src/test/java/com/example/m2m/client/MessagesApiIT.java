package com.example.m2m.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.Keycloak;
import com.example.m2m.testsupport.KeycloakResource;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The caller, as {@code node test.js} was: the OIDC client gets a client-credentials token from the real Keycloak for
 * TEST_CLIENT_ID with DEFAULT_SCOPE (read:messages), and the REST client calls the API with it.
 */
@QuarkusTest
@WithTestResource(KeycloakResource.class)
class MessagesApiIT {

    @Inject
    @RestClient
    MessagesApi api;

    @Inject
    TokenRequestCounter tokenRequests;

    @Test
    void rootAnswersHelloWorld() {
        assertEquals("Hello World!", api.hello().get("message").asText());
    }

    @Test
    void protectedMessageIsServedToTheDefaultScope() {
        assertTrue(api.protectedMessage().get("message").asText().contains("read:messages"));
    }

    @Test
    void adminMessageIsForbiddenWithoutAdminScope() {
        WebApplicationException refused = assertThrows(WebApplicationException.class, api::adminMessage);
        assertEquals(403, refused.getResponse().getStatus());
    }

    @Test
    void whoamiDescribesTheCallerFromItsKeycloakToken() {
        JsonNode me = api.whoami();
        assertEquals(Keycloak.TEST_CLIENT_ID, me.get("clientId").asText());
        assertEquals(1, me.get("scopes").size());
        assertEquals("read:messages", me.get("scopes").get(0).asText());
        assertEquals(Keycloak.issuer(), me.get("issuer").asText());
        Instant expiresAt = Instant.parse(me.get("expiresAt").asText());
        assertTrue(expiresAt.isAfter(Instant.now()), "expiresAt " + expiresAt);
        assertTrue(expiresAt.isBefore(Instant.now().plus(Duration.ofMinutes(6))), "expiresAt " + expiresAt);
    }

    @Test
    void oneTokenServesManyCalls() {
        for (int i = 0; i < 20; i++) {
            api.protectedMessage();
        }
        // Keycloak's tokens live 5 minutes; the caller refreshes 30 s before expiry, so one token serves this run.
        assertEquals(1, tokenRequests.count());
    }
}
