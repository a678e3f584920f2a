package com.example.m2m.security.introspection;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import com.example.m2m.security.IssuerTenants;
import com.example.m2m.security.QuarkusOidc;
import com.example.m2m.security.TokenDigest;
import com.example.m2m.security.TokenFailure;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.oidc.runtime.TenantConfigBean;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * {@code REVOCATION_CHECK=true}: a JWT verified here is accepted only while its issuer has said, within the last
 * {@code INTROSPECTION_CACHE_SECONDS}, that it is active (RFC 7662 introspection, at the issuer whose keys verified
 * it). The answer is remembered per token (by SHA-256) for that long and never past the token's {@code exp}; a token
 * found in the verified-token cache is checked too, so a token revoked at the issuer (RFC 7009) is refused at most
 * that long after. Concurrent requests with the same token wait for one introspection, not one each.
 * <p>
 * What it costs: a lookup per request, and one call to the issuer per token and interval, per pod (each pod asks on
 * its own: N pods, N calls per token and interval). An issuer that cannot be asked means the token cannot be
 * confirmed: refused (401 {@code issuer_unavailable}) rather than accepted unchecked, since that is what the mode is
 * for.
 * <p>
 * Uses Quarkus' own introspection client of the issuer's tenant ({@link QuarkusOidc.Tenant#introspect}, internal API:
 * the tenant's credentials, filters and checks of {@code active} and {@code exp}); Quarkus itself introspects only
 * instead of verifying a JWT, never after, so the "after" is this class.
 */
@ApplicationScoped
public class RevocationCheck {

    private final boolean on;
    private final Duration interval;
    private final Clock clock;
    /** Until when (epoch ms) each token is known to be active. */
    private final Cache<TokenDigest, Long> activeUntil;
    /** Introspections under way, so that a burst of requests with one token makes one call. */
    private final Map<TokenDigest, Uni<TokenFailure>> pending = new ConcurrentHashMap<>();
    private final Counter confirmed;
    private final Counter revoked;
    private final Counter unavailable;

    @Inject
    TenantConfigBean tenants;

    @Inject
    public RevocationCheck(@ConfigProperty(name = "api.revocation.check", defaultValue = "false") boolean on,
            @ConfigProperty(name = "api.introspection.cache-seconds", defaultValue = "30") long seconds,
            @ConfigProperty(name = "api.token.cache.max-size", defaultValue = "2000") long cacheSize,
            MeterRegistry registry) {
        this(on, Duration.ofSeconds(seconds), Math.max(cacheSize, 1000), Clock.systemUTC(), registry);
    }

    RevocationCheck(boolean on, Duration interval, long maxSize, Clock clock, MeterRegistry registry) {
        this.on = on;
        this.interval = interval;
        this.clock = clock;
        this.activeUntil = Caffeine.newBuilder()
                .maximumSize(maxSize)
                .expireAfter(Expiry.<TokenDigest, Long> creating(
                        (digest, until) -> Duration.ofMillis(Math.max(0, until - clock.millis()))))
                .executor(Runnable::run)
                .build();
        this.confirmed = introspections(registry, "active");
        this.revoked = introspections(registry, "not_active");
        this.unavailable = introspections(registry, "unavailable");
    }

    private static Counter introspections(MeterRegistry registry, String outcome) {
        return Counter.builder("api.revocation.introspections")
                .description("Introspections of verified tokens for the revocation check, by answer")
                .tag("outcome", outcome).register(registry);
    }

    public boolean on() {
        return on;
    }

    /**
     * Null when the token is known to be active (no call, nothing allocated: the common case); else the
     * introspection's verdict to come: a null item when active, else why the token is refused. Only for identities
     * verified from a JWT here; introspected ones are Quarkus' (its token cache ends them as this one would).
     */
    public Uni<TokenFailure> check(String token, TokenDigest digest, SecurityIdentity identity) {
        if (!on || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return null;
        }
        Long until = activeUntil.getIfPresent(digest);
        if (until != null && until > clock.millis()) {
            return null;
        }
        Uni<TokenFailure> shared = pending.computeIfAbsent(digest, key -> introspect(token, key,
                jwt.getExpirationTime(), IssuerTenants.tenantOf(identity)));
        // Each waiting request goes on in its own Vert.x context: the shared answer arrives in the context of the
        // request that asked, and another request resumed there finds no request scope of its own.
        Context requestContext = Vertx.currentContext();
        return requestContext == null ? shared
                : shared.emitOn(command -> requestContext.runOnContext(ignored -> command.run()));
    }

    private Uni<TokenFailure> introspect(String token, TokenDigest digest, long exp, String tenantId) {
        QuarkusOidc.Tenant tenant = QuarkusOidc.tenant(tenants, tenantId);
        Uni<TokenFailure> verdict;
        if (tenant == null || !tenant.ready()) {
            verdict = Uni.createFrom().item(TokenFailure.INTROSPECTION_UNAVAILABLE);
        } else {
            verdict = Uni.createFrom().deferred(() -> tenant.introspect(token))
                    .map(answer -> (TokenFailure) null)
                    .onFailure().recoverWithItem(TokenFailure::ofIntrospection);
        }
        return verdict
                .invoke(failure -> {
                    if (failure == null) {
                        confirmed.increment();
                        activeUntil.put(digest, Math.min(clock.millis() + interval.toMillis(), exp * 1000));
                    } else if (failure == TokenFailure.NOT_ACTIVE) {
                        revoked.increment();
                    } else {
                        unavailable.increment();
                    }
                })
                // A block, not an expression: remove() returns this very Uni, which eventually(Supplier) would await.
                .eventually(() -> {
                    pending.remove(digest);
                })
                .memoize().indefinitely();
    }
}
