package com.example.m2m.security.dpop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import com.example.m2m.security.dpop.ReplayCache.Use;
import com.example.m2m.testsupport.TestClock;
import com.github.benmanes.caffeine.cache.Ticker;

class ReplayCacheTest {

    private final TestClock clock = new TestClock(1_800_000_000_000L);
    private final Ticker ticker = clock.ticker();

    private long now() {
        return clock.nowSeconds();
    }

    private void advanceSeconds(long seconds) {
        clock.advanceSeconds(seconds);
    }

    @Test
    void aJtiIsUsedOncePerKey() {
        ReplayCache cache = new ReplayCache(100, 60, clock, ticker);
        assertEquals(Use.FIRST, cache.firstUse("key-a", "jti-1", now()));
        assertEquals(Use.REPLAY, cache.firstUse("key-a", "jti-1", now()));
        assertEquals(Use.REPLAY, cache.firstUse("key-a", "jti-1", now() - 5), "a new iat does not make a jti new");
        assertEquals(Use.FIRST, cache.firstUse("key-b", "jti-1", now()), "another key's jti");
        assertEquals(Use.FIRST, cache.firstUse("key-a", "jti-2", now()));
    }

    @Test
    void keyAndJtiCannotBeShiftedIntoEachOther() {
        ReplayCache cache = new ReplayCache(100, 60, clock, ticker);
        assertEquals(Use.FIRST, cache.firstUse("ab", "c", now()));
        assertEquals(Use.FIRST, cache.firstUse("a", "bc", now()));
    }

    @Test
    void anEntryIsKeptUntilItsProofLeavesTheWindow() {
        ReplayCache cache = new ReplayCache(100, 60, clock, ticker);
        long iat = now() + 30; // a proof from a clock 30 s ahead: accepted until iat + 60
        assertEquals(Use.FIRST, cache.firstUse("key", "jti", iat));
        advanceSeconds(89);
        assertEquals(Use.REPLAY, cache.firstUse("key", "jti", iat), "still within the window at iat + 59");
        advanceSeconds(3);
        assertEquals(0, cache.size(), "gone once the proof can no longer be accepted");
    }

    @Test
    void aFullCacheRefusesNewProofsInsteadOfForgettingOldOnes() {
        ReplayCache cache = new ReplayCache(3, 60, clock, ticker);
        for (int i = 0; i < 3; i++) {
            assertEquals(Use.FIRST, cache.firstUse("key", "jti-" + i, now()));
        }
        assertEquals(Use.FULL, cache.firstUse("key", "jti-3", now()));
        assertEquals(Use.REPLAY, cache.firstUse("key", "jti-0", now()), "nothing was evicted");
        advanceSeconds(62);
        assertEquals(Use.FIRST, cache.firstUse("key", "jti-3", now()), "room again once the old proofs expired");
    }
}
