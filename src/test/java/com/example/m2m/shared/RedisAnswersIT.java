package com.example.m2m.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.example.m2m.api.Endpoints;
import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.PackagedService;
import com.example.m2m.testsupport.RedisServer;
import com.example.m2m.testsupport.RunningService;

import io.vertx.core.json.JsonObject;

/**
 * The packaged service with a REDIS_URL that does not work, as operators get it wrong: a wrong password, a Redis that
 * never answers. Readiness and {@code api_redis_available} never say the state is shared before Redis has answered;
 * the log says what Redis answered (a refused password as such, naming REDIS_URL, never the password); a start
 * with REDIS_URL logs no Micrometer warning.
 */
@Tag(PackagedService.TAG)
class RedisAnswersIT {

    static LocalIssuer issuer;

    @BeforeAll
    static void issuer() {
        issuer = LocalIssuer.start();
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A pod with this REDIS_URL, waiting for Redis at most {@code redisTimeout} (API_REDIS_TIMEOUT). */
    private static RunningService start(String redisUrl, int management, String redisTimeout) {
        return RunningService.start(Map.of("ISSUER", issuer.url(), "AUDIENCE", "api://messages", "REDIS_URL",
                redisUrl, "RATE_LIMIT", "5/1h", "QUARKUS_MANAGEMENT_PORT", Integer.toString(management),
                "API_REDIS_TIMEOUT", redisTimeout));
    }

    private static String get(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static JsonObject sharedState(int management) throws IOException, InterruptedException {
        return new JsonObject(get("http://127.0.0.1:" + management + "/q/health/ready")).getJsonArray("checks")
                .stream().map(JsonObject.class::cast).filter(check -> "shared-state".equals(check.getString("name")))
                .findFirst().orElseThrow().getJsonObject("data");
    }

    /** Polls readiness until Redis' answer is known (the start-up probe's), at most 20 s. */
    private static JsonObject answered(int management) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        JsonObject state = sharedState(management);
        while ("not asked yet".equals(state.getString("redisAnswer")) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50); // polling an answer, not waiting out a timer
            state = sharedState(management);
        }
        return state;
    }

    private static void assertNoMicrometerWarning(RunningService pod) {
        assertFalse(pod.output().contains("redis.pool"), pod.output());
        assertFalse(pod.output().contains("has been already registered"), pod.output());
    }

    @Test
    void aWrongPasswordIsSaidAsSuchAndNothingIsShared() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            String wrongPassword = "not-the-redis-password-either";
            int management = freePort();
            // 5 s: this test is about what Redis answered; on a loaded machine a cold pod's first probe could miss
            // the 250 ms default and read "did not answer" instead.
            try (RunningService pod = start(redis.url().replace(RedisServer.PASSWORD, wrongPassword), management,
                    "5s")) {
                JsonObject first = sharedState(management);
                assertEquals("pod", first.getString("sharedIn"), "not before Redis answered: " + first.encode());
                JsonObject state = answered(management);
                assertEquals("pod", state.getString("sharedIn"), state.encode());
                assertTrue(state.getString("redisAnswer").contains("refused the password"), state.encode());
                assertTrue(get("http://127.0.0.1:" + management + "/q/metrics").contains("api_redis_available 0.0"));
                String token = issuer.tokenWithScope("redis-password-client", "read:messages");
                assertEquals(200, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(pod.url()
                        + Endpoints.PROTECTED)).header("Authorization", "Bearer " + token).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode(), "served, counted in the pod");
                String output = pod.output();
                assertEquals(1, output.lines().filter(line -> line.contains("Redis (REDIS_URL) refused the password"))
                        .count(), output);
                assertTrue(output.contains("user and password in REDIS_URL"), output);
                assertFalse(output.contains("did not answer"), output);
                assertFalse(output.contains(wrongPassword) || output.contains(RedisServer.PASSWORD), "no password");
                assertNoMicrometerWarning(pod);
            }
        }
    }

    /** A Redis that accepts connections and never answers: from the first request on, the pod says it counts alone. */
    @Test
    void aRedisThatNeverAnswersIsNotSaidToShare() throws Exception {
        List<Socket> held = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread accepting = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // held open, never answered
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            accepting.setDaemon(true);
            accepting.start();
            int management = freePort();
            try (RunningService pod = start("redis://127.0.0.1:" + silent.getLocalPort(), management, "250ms")) {
                assertEquals("pod", sharedState(management).getString("sharedIn"));
                String token = issuer.tokenWithScope("silent-redis-client", "read:messages");
                assertEquals(200, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(pod.url()
                        + Endpoints.PROTECTED)).header("Authorization", "Bearer " + token).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode());
                JsonObject state = sharedState(management);
                assertEquals("pod", state.getString("sharedIn"), state.encode());
                assertTrue(get("http://127.0.0.1:" + management + "/q/metrics").contains("api_redis_available 0.0"));
                assertNoMicrometerWarning(pod);
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }
}
