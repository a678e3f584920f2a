package com.example.m2m.security.flood;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.UnresolvableKeyException;

import com.example.m2m.quota.Rate;
import com.example.m2m.quota.WindowCounters;
import com.github.benmanes.caffeine.cache.Ticker;

import io.vertx.core.http.HttpServerRequest;

/**
 * How many failed token or proof checks each source address ({@link SourceAddress}) may cause per window
 * ({@code TOKEN_FAILURE_BUDGET}, e.g. 1000/1m). Once a source has spent it, its requests that would need a signature
 * check are answered 429 with {@code Retry-After} until the window ends; a token the service has already verified
 * (the verified-token cache) or refused (the refusal memory) is still answered, since that costs a lookup. A flood of
 * distinct forged tokens from one address thus costs at most the budget's signature checks per window.
 */
@ApplicationScoped
public class FailureBudget {

    /** Sources counted at once; past that the least active are forgotten (their count starts again). */
    static final long MAX_SOURCES = 100_000;

    private final Rate rate;
    private final WindowCounters failures;

    @Inject
    public FailureBudget(@ConfigProperty(name = "api.token.failure-budget") String budget) {
        this(Rate.parse(budget), Clock.systemUTC(), Ticker.systemTicker());
    }

    FailureBudget(Rate rate, Clock clock, Ticker ticker) {
        this.rate = rate;
        this.failures = rate == null ? null : new WindowCounters(MAX_SOURCES, clock, ticker);
    }

    /** Seconds until this request's source may cause failed checks again, or 0 when it may now. */
    public long throttledFor(HttpServerRequest request) {
        return failures == null ? 0 : throttledFor(SourceAddress.of(request));
    }

    long throttledFor(String source) {
        return failures == null ? 0 : failures.spentFor(source, rate);
    }

    /**
     * Whether a failure is the token verification's own verdict (jose4j refused the token, or it names a key the issuer
     * does not publish), as opposed to the service failing to verify it at all (the issuer unreachable): only a
     * verdict is charged to the source, so that an outage does not throttle honest callers.
     */
    public static boolean isVerdict(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidJwtException || t instanceof UnresolvableKeyException) {
                return true;
            }
        }
        return false;
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
