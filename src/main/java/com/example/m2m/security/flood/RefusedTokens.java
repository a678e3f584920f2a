package com.example.m2m.security.flood;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.example.m2m.security.PublishedKeys;
import com.example.m2m.security.TokenDigest;
import com.example.m2m.security.TokenFailure;
import com.example.m2m.security.QuarkusOidc;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

/**
 * Tokens refused for a reason that cannot change, by their digest, so that the same bad token sent again costs a
 * lookup, not a signature check: a flood of one forged token (or of a few thousand) is answered from memory, with the
 * same answer the first verification gave.
 * <p>
 * What may be remembered is decided where each refusal is defined ({@link TokenFailure.Cost#REMEMBERED}): a verdict
 * that depends on nothing but the token, this service's settings and the issuer's keys (bad signature under a key the
 * service holds, wrong issuer or audience, expired, malformed, wrong type, missing or malformed claims, not active at
 * the issuer). Never remembered: an unknown {@code kid} (the issuer may publish it next), not yet valid, an issuer that
 * could not be used, a DPoP proof or a key binding (they belong to one request, not to the token), anything that was
 * not a check. A memory made before any issuer's key set changed ({@link PublishedKeys#epoch}) is not trusted after:
 * a signature verdict is only as good as the keys it was made with.
 * <p>
 * Hand-written around Caffeine: Quarkus OIDC caches nothing about refused tokens.
 */
@ApplicationScoped
public class RefusedTokens {

    /** A refusal, and the key sets it was made under ({@link PublishedKeys#epoch}). */
    private record Memory(TokenFailure failure, long keyEpoch) {
    }

    private final Cache<TokenDigest, Memory> refused;
    private final PublishedKeys keys;

    @Inject
    public RefusedTokens(@ConfigProperty(name = "api.token.refusal-memory.max-size") long maxSize,
            @ConfigProperty(name = "api.token.refusal-memory.seconds") long seconds, MeterRegistry registry,
            PublishedKeys keys) {
        this(keys, maxSize, Duration.ofSeconds(seconds), Ticker.systemTicker());
        if (refused != null) {
            CaffeineCacheMetrics.monitor(registry, refused, "refused-tokens");
        }
    }

    /** For tests: a ticker they move. */
    public RefusedTokens(PublishedKeys keys, long maxSize, Duration lifetime, Ticker ticker) {
        this.keys = keys;
        this.refused = maxSize <= 0 ? null
                : Caffeine.newBuilder().maximumSize(maxSize).expireAfterWrite(lifetime).ticker(ticker)
                        .executor(Runnable::run).recordStats().build();
    }

    /** The refusal this token got before, or null when it must be checked. */
    public TokenFailure refusalOf(TokenDigest token) {
        Memory memory = refused == null ? null : refused.getIfPresent(token);
        if (memory == null) {
            return null;
        }
        if (memory.keyEpoch() != keys.epoch()) {
            refused.invalidate(token); // made under other keys: checked afresh
            return null;
        }
        return memory.failure();
    }

    /** Remembers a refusal if it is one that cannot change ({@link TokenFailure.Cost#REMEMBERED}). */
    public void remember(TokenDigest token, TokenFailure failure) {
        if (refused != null && failure.cost() == TokenFailure.Cost.REMEMBERED) {
            refused.put(token, new Memory(failure, keys.epoch()));
        }
    }

    /** Entries after pending evictions, for tests. */
    long size() {
        if (refused == null) {
            return 0;
        }
        refused.cleanUp();
        return refused.estimatedSize();
    }
}
