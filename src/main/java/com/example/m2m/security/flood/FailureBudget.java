package com.example.m2m.security.flood;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.example.m2m.limits.Rate;
import com.example.m2m.security.TokenFailure;
import com.example.m2m.limits.WindowCounters;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

/**
 * How many refused tokens (or DPoP proofs) each source address ({@link SourceAddress}) may send per window
 * ({@code TOKEN_FAILURE_BUDGET}, e.g. 1000/1m): every refusal counts, a verification that failed as well as a token
 * the refusal memory knew. Once a source has spent it, until the window ends, its requests that are not answered by
 * the verified-token cache get a 429 with {@code Retry-After}, answered {@code api.token.throttle-delay} late
 * ({@link #refuseLate}): a token the service has verified before is still served at once, so that an honest caller
 * behind the same address keeps working.
 * <p>
 * So a flood of distinct forged tokens from one address costs at most the budget's signature checks per window; and
 * a flood on open keep-alive connections, which would otherwise get cheap refusals as fast as it can send, slows to
 * one request per connection per delay, which costs the service a timer, not a thread or CPU.
 */
@ApplicationScoped
public class FailureBudget {

    /** Sources counted at once (see {@link WindowCounters} for what happens past that). */
    static final long MAX_SOURCES = 100_000;
    /** Late answers pending at once; past that they are answered at once (the delay must not become a memory sink). */
    static final int MAX_LATE = 10_000;

    private final Rate rate;
    private final WindowCounters failures;
    private final Duration delay;
    private final Vertx vertx;
    private final AtomicInteger late = new AtomicInteger();

    @Inject
    public FailureBudget(@ConfigProperty(name = "api.token.failure-budget") String budget,
            @ConfigProperty(name = "api.token.throttle-delay") Duration delay, Vertx vertx) {
        this(Rate.parse(budget), delay, vertx, Clock.systemUTC());
    }

    FailureBudget(Rate rate, Duration delay, Vertx vertx, Clock clock) {
        this.rate = rate;
        this.delay = delay;
        this.vertx = vertx;
        this.failures = rate == null ? null : new WindowCounters(MAX_SOURCES, clock);
    }

    /**
     * A refusal that reaches the caller after the throttle delay (a Vert.x timer on the request's own event loop: no
     * thread waits), or at once when the delay is 0 or {@link #MAX_LATE} answers are already waiting.
     */
    public <T> Uni<T> refuseLate(Throwable failure) {
        if (delay.isZero() || vertx == null) {
            return Uni.createFrom().failure(failure);
        }
        if (late.incrementAndGet() > MAX_LATE) {
            late.decrementAndGet();
            return Uni.createFrom().failure(failure);
        }
        return Uni.createFrom().emitter(emitter -> vertx.setTimer(delay.toMillis(), id -> {
            late.decrementAndGet();
            emitter.fail(failure);
        }));
    }

    /** Seconds until this request's source may cause failed checks again, or 0 when it may now. */
    public long throttledFor(HttpServerRequest request) {
        return failures == null ? 0 : throttledFor(SourceAddress.of(request));
    }

    long throttledFor(String source) {
        return failures == null ? 0 : failures.spentFor(source, rate);
    }

    /**
     * Charges this request's source for a refusal, if the refusal says it is the sender's failure
     * ({@link TokenFailure.Cost#charged}): an outage, or nothing decided, throttles no one.
     */
    public void charge(HttpServerRequest request, TokenFailure refusal) {
        if (refusal.cost().charged()) {
            charge(request);
        }
    }

    /** Counts one failed check against this request's source. */
    public void charge(HttpServerRequest request) {
        if (failures != null) {
            charge(SourceAddress.of(request));
        }
    }

    void charge(String source) {
        if (failures != null) {
            failures.count(source, rate);
        }
    }
}
