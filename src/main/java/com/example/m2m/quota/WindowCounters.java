package com.example.m2m.quota;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * Counts events per name in fixed windows aligned to the epoch (a 60 s window starts at every whole minute), so that
 * every pod, and a shared store, agree on when a window starts without talking to each other. A fixed window lets a
 * caller spend its limit at the end of one window and again at the start of the next (at most twice the limit within
 * one window's length); in exchange a count is one increment, and the {@code RateLimit} header can say exactly when
 * the window resets.
 * <p>
 * Bounded by {@code maxNames} counters (Caffeine's size eviction): past that, the least used counters are forgotten
 * and start again from zero. Each counter ends with its window.
 */
public class WindowCounters {

    /** Where one event left its name's count in the current window. */
    public record Count(long count, Rate rate, long resetSeconds) {

        /** Whether this event was one too many. */
        public boolean over() {
            return count > rate.limit();
        }

        public long remaining() {
            return Math.max(0, rate.limit() - count);
        }
    }

    /** One window: its start in seconds since the epoch, and its length. */
    public record Window(long start, long windowSeconds) {

        public long endMillis() {
            return (start + windowSeconds) * 1000;
        }

        /** Whole seconds until the window ends, rounded up and at least 1 (never a {@code Retry-After: 0}). */
        public long resetSeconds(long nowMillis) {
            return Math.max(1, (endMillis() - nowMillis + 999) / 1000);
        }
    }

    /** The window of {@code rate} that {@code nowMillis} falls in. */
    public static Window window(Rate rate, long nowMillis) {
        long windowSeconds = rate.windowSeconds();
        return new Window(nowMillis / 1000 / windowSeconds * windowSeconds, windowSeconds);
    }

    /** One name's counter in one window. */
    private record Key(String name, Window window) {
    }

    private final Cache<Key, AtomicLong> counters;
    private final Clock clock;

    public WindowCounters(long maxNames, Clock clock, Ticker ticker) {
        this.clock = clock;
        this.counters = Caffeine.newBuilder()
                .maximumSize(maxNames)
                .expireAfter(Expiry.<Key, AtomicLong> creating(
                        (key, count) -> Duration.ofMillis(Math.max(1, key.window().endMillis() - clock.millis()))))
                .ticker(ticker)
                // Evictions and expiries are tidied on the calling thread, not on the common pool.
                .executor(Runnable::run)
                .build();
    }

    /** Counts one event for {@code name} against {@code rate}, and says where that leaves it. */
    public Count count(String name, Rate rate) {
        long nowMillis = clock.millis();
        Key key = new Key(name, window(rate, nowMillis));
        long count = counters.get(key, ignored -> new AtomicLong()).incrementAndGet();
        return new Count(count, rate, key.window().resetSeconds(nowMillis));
    }

    /**
     * Whether {@code name} has used up {@code rate} in the current window, without counting an event; if so, the
     * whole seconds until the window ends, else 0.
     */
    public long spentFor(String name, Rate rate) {
        long nowMillis = clock.millis();
        Key key = new Key(name, window(rate, nowMillis));
        AtomicLong count = counters.getIfPresent(key);
        return count != null && count.get() >= rate.limit() ? key.window().resetSeconds(nowMillis) : 0;
    }
}
