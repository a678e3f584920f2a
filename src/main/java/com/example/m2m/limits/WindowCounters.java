package com.example.m2m.limits;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Counts events per name in fixed windows aligned to the epoch (a 60 s window starts at every whole minute), so that
 * every pod, and a shared store, agree on when a window starts without talking to each other. A fixed window lets a
 * caller spend its limit at the end of one window and again at the start of the next (at most twice the limit within
 * one window's length); in exchange a count is one increment, and the {@code RateLimit} header can say exactly when
 * the window resets.
 * <p>
 * One counter per name, for its current window (a new window replaces it): a count is a map lookup and an atomic
 * increment, on every request that has a quota. Bounded by {@code maxNames}: past that, counters of ended windows are
 * dropped (at most once a second); if all are current, a new name is not kept and each of its events counts as the
 * first of its window (so a flood of invented names cannot grow the map; for the failure budget, such a source is
 * not held back until the map has room again).
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
            return resetSeconds(endMillis(), nowMillis);
        }

        static long resetSeconds(long endMillis, long nowMillis) {
            return Math.max(1, (endMillis - nowMillis + 999) / 1000);
        }
    }

    /** The window of {@code rate} that {@code nowMillis} falls in. */
    public static Window window(Rate rate, long nowMillis) {
        return new Window(windowStart(rate, nowMillis), rate.windowSeconds());
    }

    private static long windowStart(Rate rate, long nowMillis) {
        long windowSeconds = rate.windowSeconds();
        return nowMillis / 1000 / windowSeconds * windowSeconds;
    }

    /** A name's count in one window (its start and length); replaced, not reset, when the window changes. */
    private static final class WindowCount extends AtomicLong {

        final long start;
        final long windowSeconds;

        WindowCount(long start, long windowSeconds) {
            this.start = start;
            this.windowSeconds = windowSeconds;
        }

        boolean isFor(long otherStart, long otherWindowSeconds) {
            return start == otherStart && windowSeconds == otherWindowSeconds;
        }
    }

    private final ConcurrentHashMap<String, AtomicReference<WindowCount>> counters = new ConcurrentHashMap<>();
    private final long maxNames;
    private final Clock clock;
    private volatile long lastSweepMillis;

    public WindowCounters(long maxNames, Clock clock) {
        this.maxNames = maxNames;
        this.clock = clock;
    }

    /** Counts one event for {@code name} against {@code rate}, and says where that leaves it. */
    public Count count(String name, Rate rate) {
        long nowMillis = clock.millis();
        long start = windowStart(rate, nowMillis);
        long endMillis = (start + rate.windowSeconds()) * 1000;
        AtomicReference<WindowCount> slot = counters.get(name);
        if (slot == null) {
            if (counters.size() >= maxNames && !sweep(nowMillis)) {
                return new Count(1, rate, Window.resetSeconds(endMillis, nowMillis));
            }
            slot = counters.computeIfAbsent(name, ignored -> new AtomicReference<>());
        }
        WindowCount current = slot.get();
        while (current == null || !current.isFor(start, rate.windowSeconds())) {
            WindowCount next = new WindowCount(start, rate.windowSeconds());
            if (slot.compareAndSet(current, next)) {
                current = next;
            } else {
                current = slot.get();
            }
        }
        return new Count(current.incrementAndGet(), rate, Window.resetSeconds(endMillis, nowMillis));
    }

    /**
     * Whether {@code name} has used up {@code rate} in the current window, without counting an event; if so, the
     * whole seconds until the window ends, else 0.
     */
    public long spentFor(String name, Rate rate) {
        AtomicReference<WindowCount> slot = counters.get(name);
        if (slot == null) {
            return 0;
        }
        long nowMillis = clock.millis();
        long start = windowStart(rate, nowMillis);
        WindowCount current = slot.get();
        return current != null && current.isFor(start, rate.windowSeconds()) && current.get() >= rate.limit()
                ? Window.resetSeconds((start + rate.windowSeconds()) * 1000, nowMillis) : 0;
    }

    /** Drops the counters of ended windows, at most once a second; whether there is room now. */
    private boolean sweep(long nowMillis) {
        if (nowMillis - lastSweepMillis >= 1000) {
            lastSweepMillis = nowMillis;
            counters.values().removeIf(slot -> {
                WindowCount count = slot.get();
                return count == null || (count.start + count.windowSeconds) * 1000 <= nowMillis;
            });
        }
        return counters.size() < maxNames;
    }

    /** Names counted now, for tests. */
    int names() {
        return counters.size();
    }
}
