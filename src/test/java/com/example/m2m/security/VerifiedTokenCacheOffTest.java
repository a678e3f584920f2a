package com.example.m2m.security;

import static com.example.m2m.testsupport.Management.management;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.InjectLocalIssuer;
import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.LocalIssuerResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A configuration the verified-token cache cannot honour (here a second OIDC tenant: a hit would skip tenant
 * resolution) turns it off, says why in the log, and every request is verified. The other conditions are listed in
 * {@link VerifiedTokenCache#offReason}.
 */
@QuarkusTest
@WithTestResource(LocalIssuerResource.class)
@TestProfile(VerifiedTokenCacheOffTest.SecondTenant.class)
class VerifiedTokenCacheOffTest {

    public static class SecondTenant implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.oidc.partner.auth-server-url", "${ISSUER}",
                    "quarkus.oidc.partner.application-type", "service");
        }
    }

    @InjectLocalIssuer
    LocalIssuer issuer;

    @Inject
    VerifiedTokenCache cache;

    @Test
    void theCacheIsOffSaysWhyAndEveryRequestIsVerified() throws Exception {
        assertFalse(cache.enabled());
        String log = Files.readString(Path.of("target", "test-logs", "quarkus.log"), StandardCharsets.UTF_8);
        assertTrue(log.contains("The verified-token cache is off: more than one OIDC tenant is configured"));

        String token = issuer.tokenWithScope("caller", "read:messages");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, given().auth().oauth2(token).when().get("/api/messages/protected").statusCode());
        }
        String metrics = management().when().get("/q/metrics").asString();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("api_token_verification_seconds_count{outcome=\"valid\"")
                && l.endsWith(" 3.0")), "three verifications: " + metrics.lines()
                        .filter(l -> l.startsWith("api_token_verification_seconds_count")).toList());
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("api_token_verification_seconds_count{outcome=\"cached\"")
                && l.endsWith(" 0.0")), "no token was found in a cache");
    }
}
