package com.example.m2m.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
 * The caller with {@code TEST_CLIENT_DPOP=true}, in process against the service and the local issuer (which binds a
 * token to the key of the proof on its token request): a proof on the token request, the token sent as
 * {@code DPoP} with a new proof per call, and a nonce the issuer asks for answered by a second token request. Against
 * Keycloak and the packaged caller: {@code CallCommandIT}.
 */
@QuarkusTest
@WithTestResource(LocalIssuerResource.class)
@TestProfile(CallerDpopTest.DpopCaller.class)
class CallerDpopTest {

    public static class DpopCaller implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.oidc-client.client-enabled", "true",
                    "TEST_CLIENT_ID", "caller",
                    "TEST_CLIENT_SECRET", "caller-secret",
                    "TEST_CLIENT_DPOP", "true");
        }
    }

    @InjectLocalIssuer
    LocalIssuer issuer;

    @Inject
    @RestClient
    MessagesApi api;

    @Inject
    CallerDpopKey key;

    @Test
    void theCallerGetsABoundTokenAndProvesItsKeyOnEveryCall() {
        // The issuer asks for a nonce before it issues the first token: the caller asks again with it.
        issuer.requireDpopNonce("nonce-1");
        assertEquals(key.thumbprint(), DpopNonceRetry.call(api::whoami).get("dpopKey").asText(),
                "the API saw a token bound to the caller's key");
        List<Map<String, Object>> proofs = issuer.tokenProofs();
        assertEquals(2, proofs.size(), "one token request without the nonce, one with it: " + proofs);
        assertFalse(proofs.get(0).containsKey("nonce"));
        assertEquals("nonce-1", proofs.get(1).get("nonce"));
        for (Map<String, Object> proof : proofs) {
            assertEquals("POST", proof.get("htm"));
            assertEquals(issuer.url() + "/token", proof.get("htu"));
            assertFalse(proof.containsKey("ath"), "no access token goes with a token request");
        }
        assertTrue(!proofs.get(0).get("jti").equals(proofs.get(1).get("jti")), "a new jti for the second request");

        // Ten calls with the same token: a replayed proof would be refused, so each call made a new one.
        for (int i = 0; i < 10; i++) {
            assertTrue(api.protectedMessage().get("message").asText().contains("read:messages"));
        }
        assertEquals(2, issuer.tokenProofs().size(), "the bound token was reused, not fetched again");
    }
}
