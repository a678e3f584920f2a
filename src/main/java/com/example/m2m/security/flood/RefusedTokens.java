package com.example.m2m.security.flood;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

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
 * not a check. Every memory is dropped when the issuer's key set changes ({@link #keySetSeen}), since a signature
 * verdict is only as good as the keys it was made with.
 * <p>
 * Hand-written around Caffeine: Quarkus OIDC caches nothing about refused tokens.
 */
@ApplicationScoped
public class RefusedTokens {

    private final Cache<TokenDigest, TokenFailure> refused;
    /** Each issuer's (tenant's) key set as last seen (thumbprints): the keys the memories were made with. */
    private final Map<String, Set<String>> keys = new ConcurrentHashMap<>();

    @Inject
    public RefusedTokens(@ConfigProperty(name = "api.token.refusal-memory.max-size") long maxSize,
            @ConfigProperty(name = "api.token.refusal-memory.seconds") long seconds, MeterRegistry registry) {
        this(maxSize, Duration.ofSeconds(seconds), Ticker.systemTicker());
        if (refused != null) {
            CaffeineCacheMetrics.monitor(registry, refused, "refused-tokens");
        }
    }

    /** For tests: a ticker they move. */
    public RefusedTokens(long maxSize, Duration lifetime, Ticker ticker) {
        this.refused = maxSize <= 0 ? null
                : Caffeine.newBuilder().maximumSize(maxSize).expireAfterWrite(lifetime).ticker(ticker)
                        .executor(Runnable::run).recordStats().build();
    }

    /** The refusal this token got before, or null when it must be checked. */
    public TokenFailure refusalOf(TokenDigest token) {
        return refused == null ? null : refused.getIfPresent(token);
    }

    /** Remembers a refusal if it is one that cannot change ({@link TokenFailure.Cost#REMEMBERED}). */
    public void remember(TokenDigest token, TokenFailure failure) {
        if (refused != null && failure.cost() == TokenFailure.Cost.REMEMBERED) {
            refused.put(token, failure);
        }
    }

    /** {@link #keySetSeen(String, Set)} for the default tenant (the only one with a single issuer). */
    public void keySetSeen(Set<String> keyThumbprints) {
        keySetSeen(com.example.m2m.security.QuarkusOidc.DEFAULT_TENANT, keyThumbprints);
    }

    /**
     * An issuer's key set as a JWKS answer gave it: when it differs from that issuer's last one, every memory goes
     * (a memory does not say which issuer's keys made its verdict; key sets change rarely).
     */
    public void keySetSeen(String tenant, Set<String> keyThumbprints) {
        Set<String> copy = Set.copyOf(keyThumbprints);
        if (!copy.equals(keys.put(tenant, copy))) {
            if (refused != null) {
                refused.invalidateAll();
            }
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
