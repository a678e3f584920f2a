package com.example.m2m.quota;

import com.example.m2m.limits.Rate;
import com.example.m2m.limits.WindowCounters;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.example.m2m.shared.RedisStore;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import io.smallrye.mutiny.Uni;

/**
 * Where the quota counts live: in this pod ({@link WindowCounters}), or, with {@code REDIS_URL}, in Redis, shared by
 * every pod ({@link RedisStore}), so that a client's quota is the same however many pods serve it.
 * <p>
 * With Redis, a count is one round trip: a script that increments the client's counter for the current window and
 * gives it the window's lifetime when it is new (atomic: no two pods see the same count). In front of it, a short
 * local memory of the clients already over their quota in this window: their requests are refused without asking
 * Redis again, until the window ends. Redis out of reach: the count is made in this pod ({@link RedisStore#call}).
 */
@ApplicationScoped
public class QuotaStore {

    /** INCR, and the window's lifetime on a new counter: KEYS[1] the counter, ARGV[1] milliseconds to live. */
    static final String COUNT_SCRIPT = "local c = redis.call('INCR', KEYS[1]) "
            + "if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return c";
    static final String KEY_PREFIX = RedisStore.KEY_PREFIX + "quota:";

    private final RedisStore redis;
    private final WindowCounters local;
    private final Clock clock;
    /** Clients over their quota in the current window, by counter key: refused without a round trip. */
    private final Cache<String, Boolean> spent;

    @Inject
    public QuotaStore(RedisStore redis) {
        this(redis, Clock.systemUTC(), Ticker.systemTicker());
    }

    QuotaStore(RedisStore redis, Clock clock, Ticker ticker) {
        this.redis = redis;
        this.clock = clock;
        this.local = new WindowCounters(QuotaHandler.MAX_CLIENTS, clock);
        this.spent = Caffeine.newBuilder().maximumSize(QuotaHandler.MAX_CLIENTS)
                .expireAfterWrite(Duration.ofSeconds(Rate.LONGEST_WINDOW)).ticker(ticker).executor(Runnable::run)
                .build();
    }

    /** Whether counts are shared through Redis (REDIS_URL is set), whether or not Redis answers right now. */
    public boolean shared() {
        return redis.configured();
    }

    /** Counts one request of {@code name} against {@code rate} in this pod: the count when Redis is not configured. */
    public WindowCounters.Count countInPod(String name, Rate rate) {
        return local.count(name, rate);
    }

    /** Counts one request of {@code name} against {@code rate}, in Redis when it is configured. */
    public Uni<WindowCounters.Count> count(String name, Rate rate) {
        if (!redis.configured()) {
            return Uni.createFrom().item(local.count(name, rate));
        }
        long nowMillis = clock.millis();
        WindowCounters.Window window = WindowCounters.window(rate, nowMillis);
        String key = KEY_PREFIX + window.start() + ":" + rate.windowSeconds() + ":" + name;
        if (spent.getIfPresent(key) != null) {
            return Uni.createFrom().item(new WindowCounters.Count(rate.limit() + 1, rate,
                    window.resetSeconds(nowMillis)));
        }
        long ttlMillis = Math.max(1, window.endMillis() - nowMillis) + 1_000;
        return redis.call(
                store -> store.execute("EVAL", COUNT_SCRIPT, "1", key, Long.toString(ttlMillis)).map(answer -> {
                    WindowCounters.Count count = new WindowCounters.Count(answer.toLong(), rate,
                            window.resetSeconds(clock.millis()));
                    if (count.over()) {
                        spent.put(key, Boolean.TRUE);
                    }
                    return count;
                }),
                () -> local.count(name, rate));
    }
}
