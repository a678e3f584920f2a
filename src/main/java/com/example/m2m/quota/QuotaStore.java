package com.example.m2m.quota;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;

/**
 * Where the quota counts live: in this pod ({@link WindowCounters}), or, with {@code REDIS_URL}, in Redis, shared by
 * every pod, so that a client's quota is the same however many pods serve it.
 * <p>
 * With Redis, a count is one round trip: a script that increments the client's counter for the current window and
 * gives it the window's lifetime when it is new (atomic: no two pods see the same count). In front of it, a short
 * local memory of the clients already over their quota in this window: their requests are refused without asking
 * Redis again, until the window ends.
 * <p>
 * Redis out of reach (refused, or no answer within {@code api.redis.timeout}): the count is made in this pod instead,
 * so the service keeps serving on per-pod quotas rather than failing closed; Redis is asked again after
 * {@code api.redis.retry-after}. The change is logged once each way, the readiness data and the
 * {@code api_quota_store_available} gauge say which it is.
 */
@ApplicationScoped
public class QuotaStore {

    private static final Logger LOG = Logger.getLogger(QuotaStore.class);

    /** INCR, and the window's lifetime on a new counter: KEYS[1] the counter, ARGV[1] milliseconds to live. */
    static final String COUNT_SCRIPT = "local c = redis.call('INCR', KEYS[1]) "
            + "if c == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return c";
    static final String KEY_PREFIX = "m2m-api:quota:";

    private final WindowCounters local;
    private final Clock clock;
    private final ReactiveRedisDataSource redis;
    private final Duration timeout;
    /** How long the store keeps counting in this pod after Redis failed, before asking it again. */
    private final Duration retryAfter;
    /** Clients over their quota in the current window, by counter key: refused without a round trip. */
    private final Cache<String, Boolean> spent;
    private volatile long redisRetryAtMillis;
    private volatile boolean redisAvailable = true;

    @Inject
    public QuotaStore(@ConfigProperty(name = "api.redis.url") Optional<String> redisUrl,
            @ConfigProperty(name = "api.redis.timeout") Duration timeout,
            @ConfigProperty(name = "api.redis.retry-after") Duration retryAfter, Instance<ReactiveRedisDataSource> redis,
            MeterRegistry registry) {
        this(redisUrl.isPresent() ? redis.get() : null, timeout, retryAfter, Clock.systemUTC(), Ticker.systemTicker());
        if (this.redis != null) {
            Gauge.builder("api.quota.store.available", this, store -> store.redisAvailable ? 1 : 0)
                    .description("1 while quotas are counted in Redis, shared by every pod; 0 while counted per pod")
                    .register(registry);
        }
    }

    QuotaStore(ReactiveRedisDataSource redis, Duration timeout, Duration retryAfter, Clock clock, Ticker ticker) {
        this.redis = redis;
        this.timeout = timeout;
        this.retryAfter = retryAfter;
        this.clock = clock;
        this.local = new WindowCounters(QuotaHandler.MAX_CLIENTS, clock, ticker);
        this.spent = Caffeine.newBuilder().maximumSize(QuotaHandler.MAX_CLIENTS)
                .expireAfterWrite(Duration.ofSeconds(Rate.LONGEST_WINDOW)).ticker(ticker).executor(Runnable::run)
                .build();
    }

    /** Whether counts are shared through Redis (REDIS_URL is set), whether or not Redis answers right now. */
    public boolean shared() {
        return redis != null;
    }

    /** Whether Redis answered the last time it was asked (true when there is no Redis). */
    public boolean available() {
        return redis == null || redisAvailable;
    }

    /** Counts one request of {@code name} against {@code rate}. */
    public Uni<WindowCounters.Count> count(String name, Rate rate) {
        if (redis == null) {
            return Uni.createFrom().item(local.count(name, rate));
        }
        long nowMillis = clock.millis();
        WindowCounters.Window window = WindowCounters.window(rate, nowMillis);
        String key = KEY_PREFIX + window.start() + ":" + rate.windowSeconds() + ":" + name;
        if (spent.getIfPresent(key) != null) {
            return Uni.createFrom().item(new WindowCounters.Count(rate.limit() + 1, rate, window.resetSeconds(nowMillis)));
        }
        if (nowMillis < redisRetryAtMillis) {
            return Uni.createFrom().item(local.count(name, rate));
        }
        long ttlMillis = Math.max(1, window.endMillis() - nowMillis) + 1_000;
        return redis.execute("EVAL", COUNT_SCRIPT, "1", key, Long.toString(ttlMillis))
                .ifNoItem().after(timeout).fail()
                .map(answer -> {
                    redisBack();
                    WindowCounters.Count count = new WindowCounters.Count(answer.toLong(), rate,
                            window.resetSeconds(clock.millis()));
                    if (count.over()) {
                        spent.put(key, Boolean.TRUE);
                    }
                    return count;
                })
                .onFailure().recoverWithItem(failure -> {
                    redisGone(failure);
                    return local.count(name, rate);
                });
    }

    private void redisGone(Throwable failure) {
        redisRetryAtMillis = clock.millis() + retryAfter.toMillis();
        if (redisAvailable) {
            redisAvailable = false;
            // The failure's class only: a message may quote the URL, and the URL may hold a password.
            LOG.warnf("Redis (REDIS_URL) did not answer (%s): quotas are counted per pod until it does",
                    failure.getClass().getSimpleName());
        }
    }

    private void redisBack() {
        if (!redisAvailable) {
            redisAvailable = true;
            LOG.info("Redis (REDIS_URL) answers again: quotas are shared by the pods again");
        }
    }
}
