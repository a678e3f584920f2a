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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
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
import com.example.m2m.testsupport.TokenForge;

import io.vertx.core.json.JsonObject;

/**
 * Two pods of the packaged service sharing quotas and DPoP proofs through a real Redis server (REDIS_URL): one quota
 * for both, a proof used at one refused at the other; and Redis stopped mid-test: the pods keep serving on per-pod
 * quotas and say so (readiness data, metric), then share again once Redis is back. The Redis password is in no line
 * either pod prints.
 */
@Tag(PackagedService.TAG)
class SharedStateIT {

    static final int QUOTA = 6;
    static final String PUBLIC_HOST = "api.example";

    static LocalIssuer issuer;
    static RedisServer redis;
    static final List<Pod> pods = new ArrayList<>();

    record Pod(RunningService service, int managementPort) {
    }

    @BeforeAll
    static void twoPodsAndOneRedis() throws IOException {
        issuer = LocalIssuer.start();
        redis = RedisServer.start();
        for (int i = 0; i < 2; i++) {
            int management = freePort();
            Map<String, String> env = new HashMap<>(Map.of("ISSUER", issuer.url(), "AUDIENCE", "api://messages",
                    "REDIS_URL", redis.url(), "RATE_LIMIT", QUOTA + "/1h",
                    "QUARKUS_MANAGEMENT_PORT", Integer.toString(management),
                    // Redis is asked again at the next request after a failure: the outage test needs no timer.
                    "API_REDIS_RETRY_AFTER", "0s"));
            pods.add(new Pod(RunningService.start(env), management));
        }
    }

    @AfterAll
    static void stop() {
        pods.forEach(pod -> pod.service().close());
        if (redis != null) {
            redis.close();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static HttpResponse<String> get(String url, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> call(Pod pod, String token) throws IOException, InterruptedException {
        return get(pod.service().url() + Endpoints.PROTECTED, token);
    }

    /** The shared-state readiness data on this pod. */
    private static JsonObject sharedState(Pod pod) throws IOException, InterruptedException {
        JsonObject ready = new JsonObject(get("http://127.0.0.1:" + pod.managementPort() + "/q/health/ready", null)
                .body());
        assertEquals("UP", ready.getString("status"), ready.encode());
        return ready.getJsonArray("checks").stream().map(JsonObject.class::cast)
                .filter(check -> "shared-state".equals(check.getString("name"))).findFirst().orElseThrow()
                .getJsonObject("data");
    }

    @Test
    void twoPodsHoldAClientToOneQuota() throws Exception {
        String token = issuer.tokenWithScope("shared-client", "read:messages");
        for (int n = 1; n <= QUOTA; n++) {
            HttpResponse<String> answer = call(pods.get(n % 2), token);
            assertEquals(200, answer.statusCode(), "request " + n);
            assertTrue(answer.headers().firstValue("RateLimit").orElseThrow().startsWith("\"default\";r=" + (QUOTA - n)
                    + ";"), "the count is the pods' together: " + answer.headers().map());
        }
        for (Pod pod : pods) {
            HttpResponse<String> refused = call(pod, token);
            assertEquals(429, refused.statusCode());
            assertTrue(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow()) >= 1);
        }
        assertEquals("redis", sharedState(pods.get(0)).getString("sharedIn"));
    }

    @Test
    void aDpopProofUsedAtOnePodIsRefusedAtTheOther() throws Exception {
        TokenForge forge = new TokenForge(issuer, null);
        String token = forge.boundToken("ec");
        // Both pods behind one public name, as behind a load balancer: the proof's htu is that name's.
        JsonObject claims = TokenForge.proofClaims(Endpoints.PROTECTED, token).put("htu",
                "http://" + PUBLIC_HOST + Endpoints.PROTECTED);
        String proof = forge.proof(forge.proofHeader("ec"), claims, "ec");
        assertTrue(dpopCall(pods.get(0), token, proof).startsWith("HTTP/1.1 200"));
        String replayed = dpopCall(pods.get(1), token, proof);
        assertTrue(replayed.startsWith("HTTP/1.1 401"), replayed);
        assertTrue(replayed.contains("used before"), replayed);
        String fresh = forge.proof(forge.proofHeader("ec"), TokenForge.proofClaims(Endpoints.PROTECTED, token)
                .put("htu", "http://" + PUBLIC_HOST + Endpoints.PROTECTED), "ec");
        assertTrue(dpopCall(pods.get(1), token, fresh).startsWith("HTTP/1.1 200"), "a new proof is fine");
    }

    /** A DPoP request with the public Host header (which java.net.http will not set): the whole answer's head. */
    private static String dpopCall(Pod pod, String token, String proof) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", pod.service().port())) {
            socket.getOutputStream().write(("GET " + Endpoints.PROTECTED + " HTTP/1.1\r\nHost: " + PUBLIC_HOST
                    + "\r\nAuthorization: DPoP " + token + "\r\nDPoP: " + proof + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void withRedisStoppedThePodsKeepServingOnTheirOwnQuotasAndSaySo() throws Exception {
        Pod pod = pods.get(0);
        String token = issuer.tokenWithScope("outage-client", "read:messages");
        assertEquals(200, call(pod, token).statusCode());
        assertEquals(200, call(pod, token).statusCode());

        redis.stop();
        try {
            for (int n = 1; n <= QUOTA; n++) {
                HttpResponse<String> answer = call(pod, token);
                assertEquals(200, answer.statusCode(), "served while Redis is away, request " + n);
                assertTrue(answer.headers().firstValue("RateLimit").orElseThrow().startsWith("\"default\";r="
                        + (QUOTA - n) + ";"), "counted in the pod from 0: " + answer.headers().map());
            }
            assertEquals(429, call(pod, token).statusCode(), "the pod's own quota still holds");
            JsonObject store = sharedState(pod);
            assertEquals("pod", store.getString("sharedIn"), store.encode());
            assertFalse(store.getBoolean("redisAvailable"));
            String metrics = get("http://127.0.0.1:" + pod.managementPort() + "/q/metrics", null).body();
            assertTrue(metrics.contains("api_redis_available 0.0"), "the gauge says so");
            assertTrue(pod.service().output().contains("each pod keeps its own quotas and DPoP proofs until it does"),
                    "one line says so: " + pod.service().output());
        } finally {
            redis.startAgain();
        }

        String fresh = issuer.tokenWithScope("after-outage-client", "read:messages");
        assertEquals(200, call(pod, fresh).statusCode());
        long deadline = System.currentTimeMillis() + 20_000;
        while (!"redis".equals(sharedState(pod).getString("sharedIn")) && System.currentTimeMillis() < deadline) {
            call(pod, fresh); // each request asks Redis again (API_REDIS_RETRY_AFTER=0s) until it answers
        }
        assertEquals("redis", sharedState(pod).getString("sharedIn"), "shared again once Redis is back");
        for (Pod each : pods) {
            assertFalse(each.service().output().contains(RedisServer.PASSWORD), "the Redis password is never logged");
        }
    }
}
