package com.example.m2m.security.dpop;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

/**
 * The DPoP proofs this pod has accepted, for as long as each could be accepted again (RFC 9449 section 11.1: a
 * {@code jti} is used once). An entry is the proof's key thumbprint and {@code jti} (a 128-bit digest of both: small,
 * and no caller-chosen text is kept), and lives until the proof's {@code iat} leaves the accepted window.
 * <p>
 * Bounded: when {@code api.dpop.replay-cache-size} entries are held, new proofs are refused
 * ({@link ProofViolation#TOO_MANY_PROOFS}) rather than an older entry evicted, since an evicted entry is a proof that
 * could be replayed. Per pod: a proof replayed to <i>another</i> pod within the window is seen there only with
 * {@code REDIS_URL}, by {@link SharedReplays}, which asks Redis about the proofs this cache saw first.
 * Hand-written around Caffeine because Quarkus OIDC 3.33 has no replay check for proofs.
 */
@ApplicationScoped
public class ReplayCache {

    private static final Logger LOG = Logger.getLogger(ReplayCache.class);

    record Digest(long high, long low) {
    }

    /** Whether a proof was recorded as first seen, seen before, or could not be recorded. */
    public enum Use {
        FIRST, REPLAY, FULL
    }

    private final Cache<Digest, Long> seen;
    private final long maxSize;
    private final long windowSeconds;
    private final Clock clock;
    private volatile long lastFullWarning;

    @Inject
    public ReplayCache(@ConfigProperty(name = "api.dpop.replay-cache-size") long maxSize,
            @ConfigProperty(name = "api.dpop.proof-window-seconds") long windowSeconds, MeterRegistry registry) {
        this(maxSize, windowSeconds, Clock.systemUTC(), Ticker.systemTicker());
        CaffeineCacheMetrics.monitor(registry, seen, "dpop-proofs");
    }

    /** For tests: a clock and a ticker that move together. */
    ReplayCache(long maxSize, long windowSeconds, Clock clock, Ticker ticker) {
        this.maxSize = maxSize;
        this.windowSeconds = windowSeconds;
        this.clock = clock;
        this.seen = Caffeine.newBuilder()
                // The value is the second until which the proof is accepted: the entry lives until then (+1 s,
                // since iat may be fractional).
                .expireAfter(Expiry.<Digest, Long> creating((digest, until) -> Duration.ofMillis(
                        Math.max(0, (until + 1) * 1000 - clock.millis()))))
                .ticker(ticker)
                .executor(Runnable::run)
                .recordStats()
                .build();
    }

    /**
     * Records a proof that passed every other check; answers whether it is the first use of its {@code jti} by this
     * key. Atomic: of two requests with the same proof at once, one is {@link Use#FIRST}.
     */
    public Use firstUse(String keyThumbprint, String jti, long issuedAtSeconds) {
        Digest digest = digest(keyThumbprint, jti);
        if (seen.estimatedSize() >= maxSize) {
            seen.cleanUp(); // expired entries may still be counted
            if (seen.estimatedSize() >= maxSize) {
                if (seen.getIfPresent(digest) != null) {
                    return Use.REPLAY;
                }
                warnFull();
                return Use.FULL;
            }
        }
        long acceptedUntil = issuedAtSeconds + windowSeconds;
        Long before = seen.asMap().putIfAbsent(digest, acceptedUntil);
        return before == null ? Use.FIRST : Use.REPLAY;
    }

    /** Whether this proof was recorded (and is still within its window): a replay, known before any other check. */
    public boolean seen(String keyThumbprint, String jti) {
        return seen.getIfPresent(digest(keyThumbprint, jti)) != null;
    }

    private void warnFull() {
        long now = clock.millis();
        if (now - lastFullWarning > 60_000) {
            lastFullWarning = now;
            LOG.warnf("The DPoP replay cache holds its maximum of %d proofs: new proofs are refused until older ones"
                    + " leave the %d s window (raise DPOP_REPLAY_CACHE_SIZE, or run more pods)", maxSize, windowSeconds);
        }
    }

    long size() {
        seen.cleanUp();
        return seen.estimatedSize();
    }

    /** The proof's identity for the other pods ({@link SharedReplays}): its digest, as 32 hex digits. */
    static String key(String keyThumbprint, String jti) {
        Digest digest = digest(keyThumbprint, jti);
        return String.format("%016x%016x", digest.high(), digest.low());
    }

    static Digest digest(String keyThumbprint, String jti) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(keyThumbprint.getBytes(StandardCharsets.US_ASCII));
            sha256.update((byte) 0); // a thumbprint has no NUL: "ab"+"c" and "a"+"bc" differ
            ByteBuffer hash = ByteBuffer.wrap(sha256.digest(jti.getBytes(StandardCharsets.UTF_8)));
            return new Digest(hash.getLong(), hash.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }
}
