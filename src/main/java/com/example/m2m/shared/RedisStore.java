package com.example.m2m.shared;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.example.m2m.client.CallCommand;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
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
 * data and the {@code api_redis_available} gauge, {@link #answer()} says what Redis answered last.
 * <p>
 * Nothing is shared until Redis has answered: a pod that has not reached it yet (or whose password it refuses) says
 * it counts alone, as it does. It asks once at start-up ({@code PING}), so that readiness is right before the first
 * request, and a wrong password is in the log at once.
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
    /** Whether Redis answered the last time it was asked; false until it has answered once. */
    private volatile boolean available;
    /** What Redis answered last, in a few words (never its message: it may quote the URL). */
    private volatile String answer = NOT_ASKED;

    static final String NOT_ASKED = "not asked yet";
    static final String ANSWERS = "answers";

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

    /** What Redis answered the last time it was asked: "answers", "not asked yet", or why it is not shared. */
    public String answer() {
        return answer;
    }

    /** Asks Redis once at start-up (not in the caller, which shares nothing), so that readiness is right at once. */
    void probe(@Observes StartupEvent started,
            @ConfigProperty(name = CallCommand.CALLER_MODE, defaultValue = "false") boolean callerMode) {
        if (redis != null && !callerMode) {
            call(store -> store.execute("PING").replaceWith(Boolean.TRUE), () -> Boolean.FALSE).subscribe()
                    .with(ignored -> {
                    });
        }
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
        answer = ANSWERS;
        if (!available) {
            available = true;
            LOG.info(retryAtMillis == 0 ? "Redis (REDIS_URL) answers: the pods share quotas and DPoP proofs"
                    : "Redis (REDIS_URL) answers again: the pods share quotas and DPoP proofs again");
        }
    }

    private void failed(Throwable failure) {
        retryAtMillis = clock.millis() + retryAfter.toMillis();
        String why = why(failure, timeout);
        available = false;
        if (!why.equals(answer)) {
            answer = why;
            LOG.warnf("Redis (REDIS_URL) %s: each pod keeps its own quotas and DPoP proofs until it does", why);
        }
    }

    /**
     * Why Redis could not be used, in a few words that quote nothing it said (its messages may quote the URL, and the
     * URL may hold a password): its error codes for a refused password are read, never shown.
     */
    static String why(Throwable failure, Duration timeout) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.startsWith("WRONGPASS") || message.contains("invalid password")) {
                return "refused the password (check the user and password in REDIS_URL)";
            }
            if (message.startsWith("NOAUTH")) {
                return "requires a password (REDIS_URL gives none)";
            }
            if (t instanceof io.smallrye.mutiny.TimeoutException || t instanceof java.util.concurrent.TimeoutException) {
                return "did not answer within " + timeout.toMillis() + " ms";
            }
            if (t instanceof java.net.ConnectException) {
                return "refused the connection";
            }
        }
        return "did not answer (" + failure.getClass().getSimpleName() + ")";
    }
}
