package com.example.m2m.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.InjectLocalIssuer;
import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.LocalIssuerResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The caller asks the token endpoint once per token lifetime, however many calls it makes: with 6-second tokens
 * renewed 2 seconds before they expire, 10 seconds of back-to-back calls take about three tokens, not one per call.
 * (Against Keycloak, with 5-minute tokens: {@code MessagesApiIT}, one token for all its calls.)
 */
@QuarkusTest
@WithTestResource(LocalIssuerResource.class)
@TestProfile(CallerTokenLifetimeTest.ShortLivedTokens.class)
class CallerTokenLifetimeTest {

    public static class ShortLivedTokens implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.oidc-client.client-enabled", "true",
                    "TEST_CLIENT_ID", "caller",
                    "TEST_CLIENT_SECRET", "caller-secret",
                    "quarkus.oidc-client.refresh-token-time-skew", "2S");
        }
    }

    @InjectLocalIssuer
    LocalIssuer issuer;

    @Inject
    @RestClient
    MessagesApi api;

    @Inject
    TokenRequestCounter tokenResponses;

    @Test
    void theCallerFetchesOneTokenPerTokenLifetime() throws InterruptedException {
        issuer.tokenLifetime(6);
        int before = issuer.tokenRequests();
        int calls = 0;
        long end = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < end) {
            assertTrue(api.protectedMessage().get("message").asText().contains("read:messages"));
            calls++;
            Thread.sleep(10);
        }
        int fetched = issuer.tokenRequests() - before;
        // A token serves 4 s (6 s minus the 2 s skew), give or take the whole seconds of expiry times: 2 to 4 tokens.
        assertTrue(fetched >= 2 && fetched <= 4, fetched + " tokens for " + calls + " calls in 10 s");
        assertTrue(calls >= 100, calls + " calls");
        assertEquals(fetched, tokenResponses.count(), "the caller's own count of token responses");
    }
}
