package com.example.m2m.security;

import static com.example.m2m.testsupport.Management.management;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.example.m2m.testsupport.HostileCases;
import com.example.m2m.testsupport.HostileCases.HostileCase;
import com.example.m2m.testsupport.HostileCases.Request;
import com.example.m2m.testsupport.InjectLocalIssuer;
import com.example.m2m.testsupport.KeyRefresh;
import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.LocalIssuerResource;
import com.example.m2m.testsupport.TokenForge;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * The verified-token cache through the API: it never accepts what the uncached path refuses. Every request of the
 * shared hostile list is sent twice (the second time any wrongly cached answer would show) and must get the same,
 * expected answer both times;
 * cached tokens still have their scopes checked, expire with the token, and go when their key leaves the issuer's key
 * set. Unit rules (bounds, expiry to the millisecond): {@link VerifiedTokenCacheTest}.
 */
@QuarkusTest
@WithTestResource(LocalIssuerResource.class)
@TestProfile(CachedTokensTest.SmallCache.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CachedTokensTest {

    static final int MAX_SIZE = 50;

    public static class SmallCache implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("api.token.cache.max-size", String.valueOf(MAX_SIZE));
        }
    }

    private static final String PROTECTED = "/api/messages/protected";
    private static final String ADMIN = "/api/messages/admin";

    @InjectLocalIssuer
    LocalIssuer issuer;

    @Inject
    VerifiedTokenCache cache;

    private static Response call(String path, String token) {
        return given().auth().oauth2(token).when().get(path);
    }

    private static double metric(String line) {
        String body = management().when().get("/q/metrics").asString();
        return body.lines().filter(l -> l.startsWith(line)).mapToDouble(l -> Double.parseDouble(l.substring(
                l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    @Order(1)
    void aReusedTokenIsVerifiedOnceAndThenFound() {
        String token = issuer.tokenWithScope("reuser", "read:messages");
        double hits = metric("cache_gets_total{cache=\"verified-tokens\",result=\"hit\"");
        double verified = metric("api_token_verification_seconds_count{outcome=\"valid\"");
        for (int i = 0; i < 5; i++) {
            assertEquals(200, call(PROTECTED, token).statusCode());
        }
        assertEquals(1, metric("api_token_verification_seconds_count{outcome=\"valid\"") - verified,
                "verified once");
        assertEquals(4, metric("cache_gets_total{cache=\"verified-tokens\",result=\"hit\"") - hits,
                "found four times");
    }

    @Test
    @Order(2)
    void everyHostileRequestGetsTheSameAnswerTheSecondTime() {
        // The whole shared hostile list, each request sent twice: a wrongly cached answer would show the second time.
        try (LocalIssuer attacker = LocalIssuer.start()) {
            TokenForge forge = new TokenForge(issuer, attacker);
            long sizeBefore = cache.size();
            Set<String> accepted = new HashSet<>();
            for (HostileCase hostile : HostileCases.all()) {
                Request request = hostile.request().apply(forge);
                for (int time = 1; time <= 2; time++) {
                    HostileRequestsTest.assertAnswer(hostile, request.spec().when().get(hostile.path()));
                }
                if (hostile.status() < 400 || hostile.status() == 403) {
                    String credentials = request.tokens().get(0).strip();
                    accepted.add(credentials.substring(credentials.lastIndexOf(' ') + 1));
                }
            }
            assertEquals(sizeBefore + accepted.size(), cache.size(),
                    "exactly the distinct tokens that passed verification are kept");
        }
    }

    @Test
    @Order(3)
    void aCachedTokenIsRefusedOnceItExpires() throws InterruptedException {
        long exp = System.currentTimeMillis() / 1000 + 3;
        String token = issuer.sign(issuer.claims("short-lived").claim("scope", "read:messages").expiresAt(exp));
        assertEquals(200, call(PROTECTED, token).statusCode());
        assertEquals(200, call(PROTECTED, token).statusCode());
        Thread.sleep(Math.max(0, (exp + 1) * 1000 - System.currentTimeMillis()));
        Response refused = call(PROTECTED, token);
        assertEquals(401, refused.statusCode());
        assertTrue(refused.header("WWW-Authenticate").contains("expired"), refused.header("WWW-Authenticate"));
    }

    @Test
    @Order(4)
    void aCachedTokenIsRefusedOnceItsKeyLeavesTheKeySet() throws InterruptedException {
        String oldKid = issuer.currentKey().kid();
        String old = issuer.tokenWithScope("caller", "read:messages");
        assertEquals(200, call(PROTECTED, old).statusCode());
        assertEquals(200, call(PROTECTED, old).statusCode());

        // The issuer rotates and stops publishing the old key; the API re-reads the key set when it first sees the
        // new kid, at most once per refresh interval.
        KeyRefresh.awaitRefreshAllowed();
        issuer.rotate("key-rotated");
        issuer.retire(oldKid);
        int fetches = issuer.jwksFetches();
        assertEquals(200, call(PROTECTED, issuer.tokenWithScope("caller", "read:messages")).statusCode());
        assertEquals(fetches + 1, issuer.jwksFetches(), "the new kid made the API re-read the key set");

        Response refused = call(PROTECTED, old);
        assertEquals(401, refused.statusCode(), "the cached token of a retired key");
        assertTrue(refused.header("WWW-Authenticate").contains("invalid_token"));
        assertEquals(401, call(PROTECTED, old).statusCode());
    }

    @Test
    @Order(5)
    void aFloodOfDistinctValidTokensStaysWithinTheBound() {
        for (int i = 0; i < 4 * MAX_SIZE; i++) {
            assertEquals(200, call(PROTECTED, issuer.tokenWithScope("flood-" + i, "read:messages")).statusCode());
        }
        assertTrue(cache.size() <= MAX_SIZE, "cache size " + cache.size());
        assertEquals(MAX_SIZE, cache.size(), "full, not more");
    }
}
