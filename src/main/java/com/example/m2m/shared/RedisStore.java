package com.example.m2m.shared;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;

/**
 * The state the pods share, when {@code REDIS_URL} names a Redis: the quota counts ({@code quota.QuotaStore}) and the
 * DPoP proofs already used ({@code security.dpop.SharedReplays}). Without {@code REDIS_URL} there is none, and each
 * pod keeps its own (nothing connects anywhere).
 * <p>
 * The one place that decides what happens when Redis is out of reach (refused, or no answer within
 * {@code api.redis.timeout}): the caller's answer is made in this pod instead ({@link #call}'s {@code inPod}), so the
 * service keeps serving rather than failing closed; Redis is asked again after {@code api.redis.retry-after}. The
 * change is logged once each way (never the URL: it may hold a password); {@link #available()} feeds the readiness
 * data and the {@code api_redis_available} gauge.
 */
@ApplicationScoped
public class RedisStore {

    private static final Logger LOG = Logger.getLogger(RedisStore.class);

    public static final String KEY_PREFIX = "m2m-api:";

    private final ReactiveRedisDataSource redis;
    private final Duration timeout;
    private final Duration retryAfter;
    private final Clock clock;
    private volatile long retryAtMillis;
    private volatile boolean available = true;

    @Inject
    public RedisStore(@ConfigProperty(name = "api.redis.url") Optional<String> redisUrl,
            @ConfigProperty(name = "api.redis.timeout") Duration timeout,
            @ConfigProperty(name = "api.redis.retry-after") Duration retryAfter, Instance<ReactiveRedisDataSource> redis,
            MeterRegistry registry) {
        this(redisUrl.isPresent() ? redis.get() : null, timeout, retryAfter, Clock.systemUTC());
        if (this.redis != null) {
            Gauge.builder("api.redis.available", this, store -> store.available ? 1 : 0)
                    .description("1 while the pods share quotas and DPoP proofs through Redis; 0 while each keeps its own")
                    .register(registry);
        }
    }

    public RedisStore(ReactiveRedisDataSource redis, Duration timeout, Duration retryAfter, Clock clock) {
        this.redis = redis;
        this.timeout = timeout;
        this.retryAfter = retryAfter;
        this.clock = clock;
    }

    /** Whether REDIS_URL is set, whether or not Redis answers right now. */
    public boolean configured() {
        return redis != null;
    }

    /** Whether the state is shared right now: Redis configured, and it answered the last time it was asked. */
    public boolean available() {
        return redis != null && available;
    }

    /**
     * Redis' answer to {@code command}, or {@code inPod}'s when there is no Redis, when it failed less than
     * {@code api.redis.retry-after} ago, or when it fails or says nothing within {@code api.redis.timeout} now.
     */
    public <T> Uni<T> call(Function<ReactiveRedisDataSource, Uni<T>> command, Supplier<T> inPod) {
        if (redis == null || clock.millis() < retryAtMillis) {
            return Uni.createFrom().item(inPod);
        }
        return command.apply(redis)
                .ifNoItem().after(timeout).fail()
                .invoke(this::answered)
                .onFailure().recoverWithItem(failure -> {
                    failed(failure);
                    return inPod.get();
                });
    }

    private void answered() {
        if (!available) {
            available = true;
            LOG.info("Redis (REDIS_URL) answers again: the pods share quotas and DPoP proofs again");
        }
    }

    private void failed(Throwable failure) {
        retryAtMillis = clock.millis() + retryAfter.toMillis();
        if (available) {
            available = false;
            // The failure's class only: a message may quote the URL, and the URL may hold a password.
            LOG.warnf("Redis (REDIS_URL) did not answer (%s): each pod keeps its own quotas and DPoP proofs until it"
                    + " does", failure.getClass().getSimpleName());
        }
    }
}
