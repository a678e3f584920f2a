package com.example.m2m.security.introspection;

import java.time.Clock;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.example.m2m.security.TokenDigest;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.quarkus.oidc.OidcRequestContext;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TokenIntrospection;
import io.quarkus.oidc.TokenIntrospectionCache;
import io.smallrye.mutiny.Uni;

/**
 * The introspection answers Quarkus OIDC got for opaque tokens (and for every token with INTROSPECT_JWT), so that a
 * reused token is introspected once per {@code INTROSPECTION_CACHE_SECONDS}: an answer is used for that long at most,
 * and never past the token's {@code exp}. Only answers for active tokens come here (Quarkus adds nothing else).
 * <p>
 * In place of Quarkus' default cache ({@code quarkus.oidc.default-token-cache-enabled=false}), which ends entries only
 * on a clean-up timer, not when they are read, refuses new entries rather than evicting old ones once full, and keys
 * by the token itself; here each read checks the time, the least used entries make room, and the key is the token's
 * SHA-256. Bounded by {@code api.introspection.cache-size}.
 */
@ApplicationScoped
public class IntrospectionCache implements TokenIntrospectionCache {

    private static final Uni<TokenIntrospection> NOT_CACHED = Uni.createFrom().nullItem();
    private static final Uni<Void> DONE = Uni.createFrom().voidItem();

    record Entry(TokenIntrospection answer, long untilMillis) {
    }

    private final Cache<TokenDigest, Entry> answers;
    private final Duration lifetime;
    private final Clock clock;

    @Inject
    public IntrospectionCache(@ConfigProperty(name = "api.introspection.cache-seconds", defaultValue = "30") long seconds,
            @ConfigProperty(name = "api.introspection.cache-size", defaultValue = "10000") long maxSize,
            MeterRegistry registry) {
        this(Duration.ofSeconds(seconds), maxSize, Clock.systemUTC(), Ticker.systemTicker());
        CaffeineCacheMetrics.monitor(registry, answers, "introspection");
    }

    IntrospectionCache(Duration lifetime, long maxSize, Clock clock, Ticker ticker) {
        this.lifetime = lifetime;
        this.clock = clock;
        this.answers = Caffeine.newBuilder()
                .maximumSize(maxSize)
                .expireAfter(Expiry.<TokenDigest, Entry> creating(
                        (digest, entry) -> Duration.ofMillis(Math.max(0, entry.untilMillis() - clock.millis()))))
                .ticker(ticker)
                .executor(Runnable::run)
                .recordStats()
                .build();
    }

    @Override
    public Uni<Void> addIntrospection(String token, TokenIntrospection introspection, OidcTenantConfig oidcConfig,
            OidcRequestContext<Void> requestContext) {
        long until = clock.millis() + lifetime.toMillis();
        Long exp = introspection.getLong("exp");
        if (exp != null) {
            until = Math.min(until, exp * 1000);
        }
        if (until > clock.millis()) {
            answers.put(TokenDigest.of(token), new Entry(introspection, until));
        }
        return DONE;
    }

    @Override
    public Uni<TokenIntrospection> getIntrospection(String token, OidcTenantConfig oidcConfig,
            OidcRequestContext<TokenIntrospection> requestContext) {
        Entry entry = answers.getIfPresent(TokenDigest.of(token));
        return entry == null || entry.untilMillis() <= clock.millis() ? NOT_CACHED
                : Uni.createFrom().item(entry.answer());
    }
}
