package com.example.m2m.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.LocalIssuerResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The caller against a service that holds it to one call a second: the second call in a row is answered 429, and the
 * caller waits what {@code Retry-After} says (at most a second) and gets its answer, saying so on stderr.
 */
@QuarkusTest
@WithTestResource(LocalIssuerResource.class)
@TestProfile(CallerQuotaTest.OneCallPerSecond.class)
class CallerQuotaTest {

    public static class OneCallPerSecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.oidc-client.client-enabled", "true",
                    "TEST_CLIENT_ID", "paced-caller",
                    "TEST_CLIENT_SECRET", "caller-secret",
                    "RATE_LIMIT", "1/1s");
        }
    }

    @Inject
    @RestClient
    MessagesApi api;

    @Test
    void theCallerWaitsOutA429AndGetsItsAnswer() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stderr = new PrintStream(err, true, StandardCharsets.UTF_8);
        for (int i = 0; i < 3; i++) {
            String message = TooManyRequestsRetry.call(api::protectedMessage, TooManyRequestsRetry.REAL_TIME, stderr,
                    Clock.systemUTC()).get("message").asText();
            assertTrue(message.contains("read:messages"), message);
        }
        String said = err.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("429 Too Many Requests: waiting 1 s as it asks"), said);
    }
}
