package com.example.m2m.security.flood;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.UnresolvableKeyException;

import com.example.m2m.security.TokenDigest;
import com.example.m2m.security.TokenFailure;
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
 * What may be remembered ({@link #isPermanent}): only a verdict of the token verification itself (jose4j's
 * {@link InvalidJwtException}), for a reason that depends on nothing but the token, this service's settings and the
 * issuer's keys: bad signature under a key the service holds, wrong issuer or audience, expired (time only moves on),
 * malformed, wrong type, missing or malformed claims. Never remembered: an unknown {@code kid}
 * (the issuer may publish it next), not yet valid, an issuer that could not be reached, a DPoP proof or a key binding
 * (they belong to one request, not to the token). Every memory is dropped when the issuer's key set changes
 * ({@link #keySetSeen}), since a signature verdict is only as good as the keys it was made with.
 * <p>
 * Hand-written around Caffeine: Quarkus OIDC caches nothing about refused tokens.
 */
@ApplicationScoped
public class RefusedTokens {

    /**
     * The reasons a verification gives that depend on nothing that can change while the keys stay the same. Not
     * {@code bound_token}: that reason also says a DPoP-bound token came as Bearer, which the same token sent with
     * its proof would pass.
     */
    static final Set<String> PERMANENT_REASONS = Set.of("malformed", "bad_signature", "wrong_issuer", "wrong_audience",
            "expired", "wrong_type", "missing_claim", "malformed_claim", "not_active",
            "client_not_allowed");

    private final Cache<TokenDigest, TokenFailure> refused;
    /** The issuer's key set the memories were made with (thumbprints); null before the first one is seen. */
    /** Each issuer's (tenant's) key set as last seen. */
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

    /** Remembers a refusal if it is one that cannot change; {@code cause} is what the verification threw. */
    public void remember(TokenDigest token, TokenFailure failure, Throwable cause) {
        if (refused != null && isPermanent(failure, cause)) {
            refused.put(token, failure);
        }
    }

    /**
     * Whether an introspection's refusal is the issuer's (or this service's) verdict on the token: not active, or an
     * answer for another API or issuer; not that the issuer could not be asked.
     */
    public static boolean isIntrospectionVerdict(TokenFailure failure) {
        return failure.status() == 401 && "invalid_token".equals(failure.error())
                && (TokenFailure.NOT_ACTIVE.reason().equals(failure.reason())
                        || TokenFailure.WRONG_AUDIENCE.reason().equals(failure.reason())
                        || TokenFailure.WRONG_ISSUER.reason().equals(failure.reason()));
    }

    /** Whether a verification's refusal depends on the token alone (and the settings and keys), never on time or luck. */
    static boolean isPermanent(TokenFailure failure, Throwable cause) {
        if (TokenFailure.NOT_ACTIVE.reason().equals(failure.reason())) {
            return true; // an inactive token never becomes active again
        }
        if (failure.status() != 401 || !"invalid_token".equals(failure.error())
                || !PERMANENT_REASONS.contains(failure.reason())) {
            return false;
        }
        boolean verdict = false;
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof UnresolvableKeyException) {
                return false; // the issuer may publish the key next
            }
            // InvalidJwtException: jose4j's verdict; Refused: this service's, on an introspection answer's aud or iss
            verdict |= t instanceof InvalidJwtException || t instanceof TokenFailure.Refused;
        }
        return verdict;
    }

    /** {@link #keySetSeen(String, Set)} for the default tenant (the only one with a single issuer). */
    public void keySetSeen(Set<String> keyThumbprints) {
        keySetSeen(com.example.m2m.security.IssuerTenants.DEFAULT_TENANT, keyThumbprints);
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
