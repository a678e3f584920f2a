package com.example.m2m.security;

import static com.example.m2m.testsupport.Management.management;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.example.m2m.testsupport.InjectLocalIssuer;
import com.example.m2m.testsupport.KeyRefresh;
import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.LocalIssuerResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What the service does when its issuer misbehaves after start-up: it rotates keys, it is flooded with unknown
 * {@code kid}s, it answers slowly, it goes away. (Start-up with the issuer down: {@code IssuerDownAtStartTest}.)
 * The JWKS refresh interval is {@link KeyRefresh#interval()}.
 */
@QuarkusTest
@WithTestResource(LocalIssuerResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IssuerFailuresTest {

    private static final String PROTECTED = "/api/messages/protected";
    private static final String CHECK = "checks.find { it.name == 'oidc-issuer' }";

    @InjectLocalIssuer
    LocalIssuer issuer;

    private static int status(String token) {
        return given().auth().oauth2(token).when().get(PROTECTED).statusCode();
    }

    @Test
    @Order(1)
    void aTokenSignedWithARotatedKeyIsAcceptedOnFirstUse() throws InterruptedException {
        assertEquals(200, status(issuer.tokenWithScope("caller", "read:messages")));
        // Let the refresh interval pass since start-up, then rotate.
        KeyRefresh.awaitRefreshAllowed();
        int fetchesBefore = issuer.jwksFetches();
        issuer.rotate("key-2");
        assertEquals(200, status(issuer.tokenWithScope("caller", "read:messages")), "new key on first use");
        assertEquals(fetchesBefore + 1, issuer.jwksFetches(), "one JWKS fetch for the new kid");
        assertEquals(200, status(issuer.tokenWithScope("caller", "read:messages")));
        assertEquals(fetchesBefore + 1, issuer.jwksFetches(), "the new key is cached");
    }

    @Test
    @Order(2)
    void aFloodOfUnknownKidsCausesAtMostOneFetchPerRefreshInterval() {
        int fetchesBefore = issuer.jwksFetches();
        long started = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            String forged = LocalIssuer.sign(issuer.claims("caller").claim("scope", "read:messages"),
                    LocalIssuer.newKeyFast("kid-" + UUID.randomUUID()));
            assertEquals(401, status(forged));
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        int fetches = issuer.jwksFetches() - fetchesBefore;
        // One fetch per started refresh interval at most (plus one at the boundary).
        assertTrue(fetches <= seconds / KeyRefresh.interval().toSeconds() + 1, fetches + " JWKS fetches for 200 unknown kids in " + seconds + " s");
    }

    @Test
    @Order(3)
    void aHangingKeyFetchNeverBlocksRequestsThatNeedNoNewKey() throws Exception {
        KeyRefresh.awaitRefreshAllowed(); // so that the next unknown kid triggers a fetch
        String valid = issuer.tokenWithScope("caller", "read:messages");
        issuer.delayJwks(Duration.ofSeconds(15).toMillis());
        try {
            int fetchesBefore = issuer.jwksFetches();
            String unknownKid = LocalIssuer.sign(issuer.claims("caller").claim("scope", "read:messages"),
                    LocalIssuer.newKeyFast("kid-slow"));
            CompletableFuture<Integer> hanging = CompletableFuture.supplyAsync(() -> status(unknownKid));
            long deadline = System.currentTimeMillis() + 5_000;
            while (issuer.jwksFetches() == fetchesBefore && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(fetchesBefore + 1, issuer.jwksFetches(), "the unknown kid started a key fetch");
            List<Long> millis = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                assertEquals(200, status(valid));
                millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }
            assertTrue(millis.stream().allMatch(ms -> ms < 2_000), "requests with a known key waited: " + millis);
            assertTrue(!hanging.isDone() || hanging.get() != 200, "the unknown kid was not accepted");
            int hangingStatus = hanging.get(60, TimeUnit.SECONDS);
            assertTrue(hangingStatus == 401, "the request with the unknown kid ended with " + hangingStatus);
        } finally {
            issuer.delayJwks(0);
        }
    }

    @Test
    @Order(4)
    void whenTheIssuerGoesAwayCachedKeysKeepServingAndReadinessSaysSo() {
        String before = issuer.tokenWithScope("caller", "read:messages");
        issuer.close();
        assertEquals(200, status(before));
        assertEquals(200, status(issuer.tokenWithScope("caller", "read:messages")), "a new token, same key");
        management().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body(CHECK + ".data.canVerifyTokens", equalTo(true))
                .body(CHECK + ".data.issuerReachable", equalTo(false));
    }
}
