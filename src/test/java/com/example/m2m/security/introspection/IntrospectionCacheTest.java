package com.example.m2m.security.introspection;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.TestClock;

import io.quarkus.oidc.TokenIntrospection;

/** An introspection answer holds for the configured time, never past the token's exp, and is bounded. */
class IntrospectionCacheTest {

    private final TestClock clock = new TestClock(1_800_000_000_000L);
    private final IntrospectionCache cache = new IntrospectionCache(Duration.ofSeconds(30), 2, clock, clock.ticker());

    private TokenIntrospection answer(long expiresInSeconds) {
        return new TokenIntrospection("{\"active\":true,\"exp\":" + (clock.nowSeconds() + expiresInSeconds) + "}");
    }

    private TokenIntrospection get(String token) {
        return cache.getIntrospection(token, null, null).await().indefinitely();
    }

    @Test
    void anAnswerHoldsForTheConfiguredTime() {
        cache.addIntrospection("token-a", answer(3600), null, null).await().indefinitely();
        clock.advanceSeconds(29);
        assertNotNull(get("token-a"));
        clock.advanceSeconds(2);
        assertNull(get("token-a"));
    }

    @Test
    void neverPastTheTokensExpiry() {
        cache.addIntrospection("token-b", answer(10), null, null).await().indefinitely();
        clock.advanceSeconds(9);
        assertNotNull(get("token-b"));
        clock.advanceSeconds(2);
        assertNull(get("token-b"));
        cache.addIntrospection("token-c", answer(-1), null, null).await().indefinitely();
        assertNull(get("token-c"), "an expired token's answer is not kept");
    }

    @Test
    void anotherTokenIsAnotherEntryAndTheCacheIsBounded() {
        cache.addIntrospection("token-d", answer(3600), null, null).await().indefinitely();
        assertNull(get("token-d2"));
        for (int i = 0; i < 10; i++) {
            cache.addIntrospection("flood-" + i, answer(3600), null, null).await().indefinitely();
        }
        long kept = java.util.stream.IntStream.range(0, 10).filter(i -> get("flood-" + i) != null).count();
        org.junit.jupiter.api.Assertions.assertTrue(kept <= 2, "kept " + kept);
    }
}
