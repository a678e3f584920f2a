package com.example.m2m.security;

import java.security.Permission;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantConfigResolver;
import io.quarkus.oidc.TokenIntrospection;
import io.quarkus.oidc.TenantResolver;
import io.quarkus.oidc.runtime.OidcConfig;
import io.quarkus.oidc.runtime.OidcTenantConfig;
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
 * What makes it safe, each rule enforced here rather than by convention elsewhere:
 * <ul>
 * <li><b>Only what Quarkus verified locally</b>, or what the issuer vouched for by introspection (an opaque token, or
 * INTROSPECT_JWT): such an entry lives as long as the introspection answer would be trusted anyway (its own
 * {@code INTROSPECTION_CACHE_SECONDS}, never past the answer's {@code exp}), and its aud and iss were checked
 * ({@code introspection.IntrospectedTokenCheck}) before it got here. A JWT's entry needs the thumbprint of the key
 * that verified its signature, which {@link VerifyingKeyRecorder} notes from inside Quarkus' verification, after
 * every rule ({@code security.rules}) ran with it. A token refused by any check, or accepted some other way (UserInfo),
 * is never stored: every refusal is checked afresh.</li>
 * <li><b>Keyed to the key that verified it</b> (RFC 7638 thumbprint, not the {@code kid}): an entry is dropped as
 * soon as that key leaves the issuer's key set ({@link SigningKeyWatch}), and a hit needs the key still there. A key
 * published later under an old {@code kid} does not keep the old key's tokens alive.</li>
 * <li><b>No race with a key-set change</b>: a verification that finishes while the key set changes stores nothing
 * (the key set seen before the entry is made must still be the current one after).</li>
 * <li><b>The whole token</b>: the map key is its SHA-256, and a hit compares the stored token with the presented
 * one.</li>
 * <li><b>Never past the token's life</b>: an entry expires at {@code exp} (and at {@code iat} +
 * {@code quarkus.oidc.token.age} when set), and each hit checks the time again.</li>
 * <li>The scopes are still checked on every request: the identity's roles are, by {@code @RolesAllowed}.</li>
 * <li><b>Never a DPoP proof</b>: the mechanism checks a DPoP request's proof before the lookup and the token's key
 * binding after it, on every request ({@code security.dpop}); an entry is the token's verification alone.</li>
 * <li><b>Bounded</b>: at most {@code api.token.cache.max-size} entries (Caffeine's size-based eviction).</li>
 * <li><b>Off, and says so at start-up, for any configuration it cannot honour</b> ({@link #offReason}): tokens
 * bound to a certificate or proof, another token header, introspection or UserInfo in the verification, keys that do
 * not come from a JWKS, a token customizer, or tenants configured by hand (the lookup runs before tenant resolution;
 * the tenants of several {@code ISSUER}s are fine: see {@link IssuerTenantResolver}).</li>
 * <li><b>Keyed to the issuer too</b>: with several issuers, an entry names the tenant that verified it and a hit
 * needs the key in that issuer's current key set.</li>
 * </ul>
 * Hand-written around Caffeine because Quarkus OIDC caches introspection and UserInfo results, not verified JWTs.
 */
@ApplicationScoped
public class VerifiedTokenCache {

    private static final Logger LOG = Logger.getLogger(VerifiedTokenCache.class);

    /**
     * The "key" of an entry for an introspected token (opaque, or INTROSPECT_JWT): no key verified it, its issuer's
     * answer did; such an entry lives as long as that answer ({@code api.introspection.cache-seconds}, never past
     * {@code exp}) and no key-set change ends it.
     */
    static final String INTROSPECTED = "introspected";

    /** The identity's attributes that belong to one request; replaced by the current request's on each hit. */
    private static final String ROUTING_CONTEXT = RoutingContext.class.getName();
    private static final String REQUEST_CONTEXT = AuthenticationRequestContext.class.getName();

    record Entry(SecurityIdentity identity, String token, String tenant, String keyThumbprint, long expiresAt) {
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

    private final Cache<TokenDigest, Entry> cache;
    /** Thumbprints of the keys that verified tokens, noted by {@link VerifyingKeyRecorder}, until {@link #put}. */
    private final Cache<TokenDigest, String> verifyingKeys;
    private final Clock clock;
    /** Why the cache is off, or null when it is on. */
    private final String offReason;
    /** How long an introspection answer holds (INTROSPECTION_CACHE_SECONDS): an introspected entry's longest life. */
    private final long introspectionSeconds;
    /** quarkus.oidc.token.age: the longest Quarkus accepts a token after its iat; an entry ends then too. */
    private final long maxAgeSeconds;
    /**
     * Each issuer's (tenant's) current key set, as {@link SigningKeyWatch} last saw it; none until its first: nothing it
     * verifies is stored before.
     */
    private final PublishedKeys keys;
    /** The key epoch whose departed keys' entries were last swept out ({@link #sweepIfKeysChanged}). */
    private final java.util.concurrent.atomic.AtomicLong sweptEpoch = new java.util.concurrent.atomic.AtomicLong(-1);

    @Inject
    public VerifiedTokenCache(@ConfigProperty(name = "api.token.cache.max-size", defaultValue = "2000") long maxSize,
            @ConfigProperty(name = "api.introspection.cache-seconds", defaultValue = "30") long introspectionSeconds,
            OidcConfig oidc, Instance<TenantResolver> tenantResolvers,
            Instance<TenantConfigResolver> tenantConfigResolvers, MeterRegistry registry, PublishedKeys keys) {
        this(keys, maxSize, offReason(maxSize, OidcConfig.getDefaultTenant(oidc), enabledTenants(oidc),
                tenantResolvers.stream().anyMatch(resolver -> !(resolver instanceof IssuerTenantResolver))
                        || tenantConfigResolvers.isResolvable()),
                OidcConfig.getDefaultTenant(oidc).token().age().orElse(null), introspectionSeconds, Clock.systemUTC(),
                Ticker.systemTicker());
        if (cache == null) {
            LOG.infof("The verified-token cache is off: %s; every request is verified", offReason);
        } else {
            CaffeineCacheMetrics.monitor(registry, cache, "verified-tokens");
        }
    }

    /** For tests: a clock and a ticker that move together. */
    VerifiedTokenCache(PublishedKeys keys, long maxSize, Clock clock, Ticker ticker) {
        this(keys, maxSize, null, clock, ticker);
    }

    VerifiedTokenCache(PublishedKeys keys, long maxSize, Duration maxAge, Clock clock, Ticker ticker) {
        this(keys, maxSize, maxSize <= 0 ? "size 0" : null, maxAge, 30, clock, ticker);
    }

    private VerifiedTokenCache(PublishedKeys keys, long maxSize, String offReason, Duration maxAge,
            long introspectionSeconds, Clock clock, Ticker ticker) {
        this.keys = keys;
        this.clock = clock;
        this.introspectionSeconds = introspectionSeconds;
        this.offReason = offReason;
        this.maxAgeSeconds = maxAge == null ? Long.MAX_VALUE : maxAge.toSeconds();
        this.cache = offReason != null ? null
                : Caffeine.newBuilder()
                        .maximumSize(maxSize)
                        .expireAfter(Expiry.<TokenDigest, Entry> creating(
                                (digest, entry) -> Duration.ofMillis(
                                        Math.max(0, entry.expiresAt() * 1000 - clock.millis()))))
                        .ticker(ticker)
                        // Evictions and expiries are tidied on the calling thread, not on the common pool.
                        .executor(Runnable::run)
                        .recordStats()
                        .build();
        // A note lives from the signature check to the end of that request's verification: a minute is ample, and
        // the bound keeps notes of tokens refused by a later check (never collected by put) from piling up.
        this.verifyingKeys = cache == null ? null
                : Caffeine.newBuilder().maximumSize(1_000).expireAfterWrite(Duration.ofMinutes(1)).ticker(ticker)
                        .executor(Runnable::run).build();
    }

    /**
     * Why the cache cannot be trusted with this configuration, or null when it can. Each condition is a way in which a
     * hit, which skips Quarkus' whole verification and tenant resolution, would skip something that must happen.
     * Every Quarkus verification option is classified as cache-safe or as one of these by
     * {@code VerifiedTokenCacheOptionsTest}, which fails when a Quarkus upgrade brings an option it does not know.
     */
    static String offReason(long maxSize, OidcTenantConfig tenant, long enabledTenants, boolean customTenantResolution) {
        if (maxSize <= 0) {
            return "api.token.cache.max-size (TOKEN_CACHE_SIZE) is 0";
        }
        if (tenant.token().binding().certificate()) {
            return "tokens are bound to a client certificate (quarkus.oidc.token.binding.certificate)";
        }
        if (!"bearer".equalsIgnoreCase(tenant.token().authorizationScheme())) {
            return "the authorization scheme is not Bearer (quarkus.oidc.token.authorization-scheme)";
        }
        if (tenant.token().header().isPresent()) {
            return "tokens come in another header (quarkus.oidc.token.header)";
        }
        if (tenant.token().verifyAccessTokenWithUserInfo().orElse(false)) {
            return "tokens are verified with UserInfo (quarkus.oidc.token.verify-access-token-with-user-info)";
        }
        if (tenant.token().requireJwtIntrospectionOnly()) {
            return "tokens are introspected (quarkus.oidc.token.require-jwt-introspection-only)";
        }
        // Introspection set up by hand rather than by INTROSPECTION_CLIENT_ID (IssuerTenants, whose introspected
        // entries live only as long as the answer): a hit would outlive what the issuer said.
        if (tenant.token().allowJwtIntrospection() || tenant.token().allowOpaqueTokenIntrospection()) {
            return "tokens may be introspected by Quarkus itself (quarkus.oidc.token.allow-jwt-introspection,"
                    + " allow-opaque-token-introspection; use INTROSPECTION_CLIENT_ID instead)";
        }
        if (tenant.token().customizerName().isPresent()) {
            return "tokens are customized before verification (quarkus.oidc.token.customizer-name)";
        }
        if (tenant.publicKey().isPresent() || tenant.certificateChain().trustStoreFile().isPresent()) {
            return "the verification keys do not come from the issuer's JWKS (quarkus.oidc.public-key, certificate-chain)";
        }
        // The tenants of several issuers (IssuerTenants) do not count: their resolution is a function of the token
        // (its iss), and each entry is tied to the key set of the tenant that verified it. Tenants or resolvers
        // configured by hand may choose by anything else (the path, a header), which a hit would skip.
        if (enabledTenants > 1 || customTenantResolution || tenant.tenantPaths().isPresent()) {
            return "more than one OIDC tenant is configured (the lookup runs before tenant resolution)";
        }
        return null;
    }

    private static long enabledTenants(OidcConfig oidc) {
        return oidc.namedTenants().values().stream().filter(OidcTenantConfig::tenantEnabled).count();
    }

    public boolean enabled() {
        return cache != null;
    }

    /**
     * The identity already verified for exactly this token, with this request's context, or null if the token must
     * be verified.
     */
    public SecurityIdentity get(String token, RoutingContext context) {
        return get(token, TokenDigest.of(token), context);
    }

    /** {@link #get(String, RoutingContext)} with the token's digest already computed. */
    public SecurityIdentity get(String token, TokenDigest digest, RoutingContext context) {
        if (cache == null) {
            return null;
        }
        Entry entry = cache.getIfPresent(digest);
        if (entry == null || entry.expiresAt() * 1000 <= clock.millis() || !entry.token().equals(token)) {
            return null;
        }
        // The key must still be in its issuer's current set (INTROSPECTED, the constant itself: no key verified it).
        if (entry.keyThumbprint() != INTROSPECTED && !keys.publishes(entry.tenant(), entry.keyThumbprint())) {
            return null;
        }
        return new RequestView(entry.identity(), context, context == null ? null : context.get(REQUEST_CONTEXT));
    }

    /** Notes, from inside Quarkus' verification, the thumbprint of the key whose signature check the token passed. */
    void noteVerifyingKey(String token, String keyThumbprint) {
        if (verifyingKeys != null) {
            verifyingKeys.put(TokenDigest.of(token), keyThumbprint);
        }
    }

    /**
     * Remembers an identity that Quarkus' verification (with every rule) accepted for this token, if it was verified
     * with a key of its issuer's (tenant's) current key set and that key set did not change meanwhile.
     */
    public void put(String token, SecurityIdentity identity) {
        if (cache == null || identity == null || identity.isAnonymous()) {
            return;
        }
        if (!(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            if (identity.getAttribute(QuarkusOidc.INTROSPECTION_ATTRIBUTE) instanceof TokenIntrospection answer) {
                putIntrospected(token, identity, answer);
            }
            return;
        }
        TokenDigest digest = TokenDigest.of(token);
        String thumbprint = verifyingKeys.asMap().remove(digest);
        AccessTokenCredential credential = identity.getCredential(AccessTokenCredential.class);
        long expiresAt = maxAgeSeconds == Long.MAX_VALUE ? jwt.getExpirationTime()
                : Math.min(jwt.getExpirationTime(), jwt.getIssuedAtTime() + maxAgeSeconds);
        String tenant = IssuerTenants.tenantOf(identity);
        if (!keys.publishes(tenant, thumbprint) || credential == null || !token.equals(credential.getToken())
                || expiresAt * 1000 <= clock.millis()) {
            return;
        }
        SecurityIdentity stored = QuarkusSecurityIdentity.builder(identity)
                .addAttribute(ROUTING_CONTEXT, null)
                .addAttribute(REQUEST_CONTEXT, null)
                .build();
        // The credential's string, not the presented one: one copy of the token per entry (the claims share it).
        // A key set that changes after this line is checked at each hit: an entry is never served under a key its
        // issuer no longer publishes.
        cache.put(digest, new Entry(stored, credential.getToken(), tenant, thumbprint, expiresAt));
        sweepIfKeysChanged();
    }

    /**
     * Once per key-set change, the entries whose key left its issuer's set go (they could never be served again): their
     * memory is freed at the next verification rather than when they expire. Not on the hit path.
     */
    private void sweepIfKeysChanged() {
        long epoch = keys.epoch();
        long swept = sweptEpoch.get();
        if (swept != epoch && sweptEpoch.compareAndSet(swept, epoch)) {
            cache.asMap().values().removeIf(entry -> entry.keyThumbprint() != INTROSPECTED
                    && !keys.publishes(entry.tenant(), entry.keyThumbprint()));
        }
    }

    /**
     * An identity Quarkus made from the issuer's introspection answer (an opaque token, or INTROSPECT_JWT), after
     * this service's checks of the answer ({@code IntrospectedTokenCheck}): held as long as the answer is
     * ({@code api.introspection.cache-seconds}, never past the answer's {@code exp}; without an {@code exp}, not at all).
     * So that a reused opaque token costs what a reused JWT does.
     */
    private void putIntrospected(String token, SecurityIdentity identity, TokenIntrospection answer) {
        AccessTokenCredential credential = identity.getCredential(AccessTokenCredential.class);
        Long exp = answer.getLong("exp");
        if (credential == null || !token.equals(credential.getToken()) || exp == null) {
            return;
        }
        long expiresAt = Math.min(exp, clock.millis() / 1000 + introspectionSeconds);
        if (expiresAt * 1000 <= clock.millis()) {
            return;
        }
        SecurityIdentity stored = QuarkusSecurityIdentity.builder(identity)
                .addAttribute(ROUTING_CONTEXT, null)
                .addAttribute(REQUEST_CONTEXT, null)
                .build();
        cache.put(TokenDigest.of(token), new Entry(stored, credential.getToken(), IssuerTenants.tenantOf(identity),
                INTROSPECTED, expiresAt));
    }

    /** The token's entry ends (its issuer says it is no longer active, see {@code RevocationCheck}). */
    public void forget(TokenDigest digest) {
        if (cache != null) {
            cache.invalidate(digest);
        }
    }

    /** The number of entries, after pending evictions (for tests and the cache_size gauge). */
    long size() {
        if (cache == null) {
            return 0;
        }
        sweepIfKeysChanged();
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
