package com.example.m2m.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Permission;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.JoseException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.credential.Credential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Tokens this service has already verified, so that a caller reusing its token (as client-credentials callers do for
 * the token's whole lifetime) pays for the signature check and claim parsing once, not on every request. Measured:
 * the check is most of what a secured request costs (docs/performance.md).
 * <p>
 * What makes it safe:
 * <ul>
 * <li>An entry is only ever made from an identity that Quarkus' full verification (signature, issuer, audience,
 * expiry) and {@link AccessTokenPolicy} accepted; refusals are never cached, so a refused token is checked afresh
 * every time.</li>
 * <li>The key is the SHA-256 of the whole token (header, claims and signature): a token differing in any byte is a
 * different entry. On a hit the stored token is also compared with the presented one.</li>
 * <li>An entry never outlives the token's {@code exp} (nor {@code iat} + {@code quarkus.oidc.token.age} when that
 * is set): it expires then, and each hit checks the time again.</li>
 * <li>An entry is dropped as soon as its signing key leaves the issuer's key set (seen in every JWKS answer, by
 * {@link SigningKeyWatch}); a token without a {@code kid} is dropped at every key-set change.</li>
 * <li>The scopes are still checked on every request: the identity's roles are, by {@code @RolesAllowed}.</li>
 * <li>Bounded: at most {@code api.token.cache.max-size} entries (Caffeine's size-based eviction), so a flood of
 * distinct tokens cannot grow memory without bound; 0 turns the cache off.</li>
 * </ul>
 * Hand-written around Caffeine because Quarkus OIDC caches introspection and UserInfo results, not verified JWTs.
 * It is off when tokens are bound to a client certificate or DPoP proof (each request must then be checked).
 */
@ApplicationScoped
public class VerifiedTokenCache {

    private static final Logger LOG = Logger.getLogger(VerifiedTokenCache.class);

    /** The identity's attributes that belong to one request; replaced by the current request's on each hit. */
    private static final String ROUTING_CONTEXT = RoutingContext.class.getName();
    private static final String REQUEST_CONTEXT = AuthenticationRequestContext.class.getName();

    /** The SHA-256 of a token, as four longs: a small, cheap map key. */
    record Digest(long a, long b, long c, long d) {
    }

    record Entry(SecurityIdentity identity, String token, String keyId, long expiresAt) {
    }

    /**
     * A cached identity as one request sees it: that request's own context attributes, everything else the verified
     * identity's. A view rather than a copy: a copy of the identity on every request costs more than the lookup.
     */
    record RequestView(SecurityIdentity verified, RoutingContext context, Object requestContext)
            implements SecurityIdentity {

        @Override
        public Principal getPrincipal() {
            return verified.getPrincipal();
        }

        @Override
        public boolean isAnonymous() {
            return false;
        }

        @Override
        public Set<String> getRoles() {
            return verified.getRoles();
        }

        @Override
        public boolean hasRole(String role) {
            return verified.hasRole(role);
        }

        @Override
        public Set<Permission> getPermissions() {
            return verified.getPermissions();
        }

        @Override
        public <T extends Credential> T getCredential(Class<T> type) {
            return verified.getCredential(type);
        }

        @Override
        public Set<Credential> getCredentials() {
            return verified.getCredentials();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T getAttribute(String name) {
            if (ROUTING_CONTEXT.equals(name)) {
                return (T) context;
            }
            if (REQUEST_CONTEXT.equals(name)) {
                return (T) requestContext;
            }
            return verified.getAttribute(name);
        }

        @Override
        public Map<String, Object> getAttributes() {
            Map<String, Object> attributes = new HashMap<>(verified.getAttributes());
            attributes.put(ROUTING_CONTEXT, context);
            attributes.put(REQUEST_CONTEXT, requestContext);
            return attributes;
        }

        @Override
        public Uni<Boolean> checkPermission(Permission permission) {
            return verified.checkPermission(permission);
        }
    }

    private final Cache<Digest, Entry> cache;
    private final Clock clock;
    /** quarkus.oidc.token.age: the longest Quarkus accepts a token after its iat; an entry ends then too. */
    private final long maxAgeSeconds;

    @Inject
    public VerifiedTokenCache(@ConfigProperty(name = "api.token.cache.max-size", defaultValue = "2000") long maxSize,
            @ConfigProperty(name = "quarkus.oidc.token.binding.certificate", defaultValue = "false") boolean certBound,
            @ConfigProperty(name = "quarkus.oidc.token.authorization-scheme", defaultValue = "Bearer") String scheme,
            @ConfigProperty(name = "quarkus.oidc.token.age") Optional<Duration> maxAge,
            MeterRegistry registry) {
        this(certBound || !"bearer".equalsIgnoreCase(scheme) ? 0 : maxSize, maxAge.orElse(null), Clock.systemUTC(),
                Ticker.systemTicker());
        if (maxSize > 0 && this.cache == null) {
            LOG.info("The verified-token cache is off: tokens are bound to a certificate or DPoP proof");
        }
        if (this.cache != null) {
            CaffeineCacheMetrics.monitor(registry, cache, "verified-tokens");
        }
    }

    /** For tests: a clock and a ticker that move together. */
    VerifiedTokenCache(long maxSize, Clock clock, Ticker ticker) {
        this(maxSize, null, clock, ticker);
    }

    VerifiedTokenCache(long maxSize, Duration maxAge, Clock clock, Ticker ticker) {
        this.clock = clock;
        this.maxAgeSeconds = maxAge == null ? Long.MAX_VALUE : maxAge.toSeconds();
        this.cache = maxSize <= 0 ? null
                : Caffeine.newBuilder()
                        .maximumSize(maxSize)
                        .expireAfter(Expiry.<Digest, Entry> creating(
                                (digest, entry) -> Duration.ofMillis(
                                        Math.max(0, entry.expiresAt() * 1000 - clock.millis()))))
                        .ticker(ticker)
                        // Evictions and expiries are tidied on the calling thread, not on the common pool.
                        .executor(Runnable::run)
                        .recordStats()
                        .build();
    }

    public boolean enabled() {
        return cache != null;
    }

    /**
     * The identity already verified for exactly this token, with this request's context, or null if the token must
     * be verified.
     */
    public SecurityIdentity get(String token, RoutingContext context) {
        if (cache == null) {
            return null;
        }
        Entry entry = cache.getIfPresent(digest(token));
        if (entry == null || entry.expiresAt() * 1000 <= clock.millis() || !entry.token().equals(token)) {
            return null;
        }
        return new RequestView(entry.identity(), context, context == null ? null : context.get(REQUEST_CONTEXT));
    }

    /** Remembers an identity that Quarkus' verification and the policy accepted for this token. */
    public void put(String token, SecurityIdentity identity) {
        if (cache == null || identity == null || identity.isAnonymous()
                || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return;
        }
        AccessTokenCredential credential = identity.getCredential(AccessTokenCredential.class);
        long expiresAt = maxAgeSeconds == Long.MAX_VALUE ? jwt.getExpirationTime()
                : Math.min(jwt.getExpirationTime(), jwt.getIssuedAtTime() + maxAgeSeconds);
        if (credential == null || !token.equals(credential.getToken()) || expiresAt * 1000 <= clock.millis()) {
            return;
        }
        SecurityIdentity stored = QuarkusSecurityIdentity.builder(identity)
                .addAttribute(ROUTING_CONTEXT, null)
                .addAttribute(REQUEST_CONTEXT, null)
                .build();
        // The credential's string, not the presented one: one copy of the token per entry (the claims share it).
        cache.put(digest(token), new Entry(stored, credential.getToken(), keyId(token), expiresAt));
    }

    /** Drops every entry whose signing key is not in the issuer's current key set. */
    public void retainKeys(Set<String> keyIds) {
        if (cache != null) {
            cache.asMap().values().removeIf(entry -> entry.keyId() == null || !keyIds.contains(entry.keyId()));
        }
    }

    /** The number of entries, after pending evictions (for tests and the cache_size gauge). */
    long size() {
        if (cache == null) {
            return 0;
        }
        cache.cleanUp();
        return cache.estimatedSize();
    }

    private static String keyId(String token) {
        try {
            // jose4j (Quarkus OIDC's own JOSE library) reads the header; the token was verified just before.
            return JsonWebStructure.fromCompactSerialization(token).getKeyIdHeaderValue();
        } catch (JoseException e) {
            return null;
        }
    }

    static Digest digest(String token) {
        try {
            ByteBuffer hash = ByteBuffer.wrap(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
            return new Digest(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }
}
