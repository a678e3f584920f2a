package com.example.m2m.testsupport;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Ticker;

/**
 * A wall clock and a Caffeine ticker that a test moves together: the caches compute expiry times from the clock and
 * let Caffeine expire entries by the ticker, so a test that moves one must move both.
 */
public final class TestClock extends Clock {

    private final AtomicLong nowMillis;

    public TestClock(long startMillis) {
        this.nowMillis = new AtomicLong(startMillis);
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(nowMillis.get());
    }

    @Override
    public long millis() {
        return nowMillis.get();
    }

    @Override
    public ZoneOffset getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    /** Caffeine's view of the same time. */
    public Ticker ticker() {
        return () -> TimeUnit.MILLISECONDS.toNanos(nowMillis.get());
    }

    public long nowSeconds() {
        return nowMillis.get() / 1000;
    }

    public void advanceMillis(long millis) {
        nowMillis.addAndGet(millis);
    }

    public void advanceSeconds(long seconds) {
        advanceMillis(TimeUnit.SECONDS.toMillis(seconds));
    }
}
