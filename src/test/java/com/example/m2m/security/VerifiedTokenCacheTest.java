package com.example.m2m.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.LocalIssuer;
import com.github.benmanes.caffeine.cache.Ticker;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.runtime.OidcJwtCallerPrincipal;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.jwt.build.Jwt;
import io.vertx.ext.web.RoutingContext;

/** The cache's rules, on a clock the test moves: bounded, never past {@code exp}, keyed by the whole token. */
class VerifiedTokenCacheTest {

    private static final LocalIssuer.SigningKey KEY_1 = LocalIssuer.newKeyFast("key-1");
    private static final LocalIssuer.SigningKey KEY_2 = LocalIssuer.newKeyFast("key-2");

    /** A wall clock and a ticker that the test moves together. */
    private final AtomicLong nowMillis = new AtomicLong(1_800_000_000_000L);
    private final Clock clock = new Clock() {
        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(nowMillis.get());
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    };
    private final Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(nowMillis.get());

    private long nowSeconds() {
        return nowMillis.get() / 1000;
    }

    private String token(String subject, long lifetimeSeconds, LocalIssuer.SigningKey key) {
        return LocalIssuer.sign(Jwt.issuer("http://issuer").subject(subject).audience("api://messages")
                .claim("scope", "read:messages").issuedAt(nowSeconds()).expiresAt(nowSeconds() + lifetimeSeconds), key);
    }

    /** What Quarkus' verification hands over for a token it accepted. */
    private static SecurityIdentity verified(String token, Object routingContext) throws Exception {
        String payload = token.split("\\.")[1];
        JwtClaims claims = JwtClaims.parse(new String(java.util.Base64.getUrlDecoder().decode(payload)));
        AccessTokenCredential credential = new AccessTokenCredential(token);
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new OidcJwtCallerPrincipal(claims, credential))
                .addCredential(credential)
                .addRole("read:messages")
                .addAttribute(RoutingContext.class.getName(), routingContext)
                .build();
    }

    @Test
    void aVerifiedTokenIsFoundWithItsRolesAndTheCurrentRequest() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(100, clock, ticker);
        String token = token("caller", 300, KEY_1);
        assertNull(cache.get(token, null), "nothing before the first verification");
        cache.put(token, verified(token, "first request"));

        SecurityIdentity hit = cache.get(token, null);
        assertNotNull(hit);
        assertEquals(Set.of("read:messages"), hit.getRoles());
        assertEquals("caller", hit.getPrincipal().getName());
        assertNull(hit.getAttribute(RoutingContext.class.getName()), "the first request's context is not kept");
    }

    @Test
    void anyChangedByteIsAnotherToken() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(100, clock, ticker);
        String token = token("caller", 300, KEY_1);
        cache.put(token, verified(token, null));
        String lastChanged = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
        assertNotEquals(VerifiedTokenCache.digest(token), VerifiedTokenCache.digest(lastChanged));
        assertNull(cache.get(lastChanged, null));
        assertNull(cache.get(token + "x", null));
        assertNull(cache.get(token.substring(1), null));
    }

    @Test
    void anEntryNeverOutlivesTheTokensExpiry() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(100, clock, ticker);
        String token = token("caller", 60, KEY_1);
        cache.put(token, verified(token, null));
        nowMillis.addAndGet(59_999);
        assertNotNull(cache.get(token, null), "still valid 1 ms before exp");
        nowMillis.addAndGet(1);
        assertNull(cache.get(token, null), "gone at exp");
        assertEquals(0, cache.size());
    }

    @Test
    void anEntryEndsWhenTheTokenIsTooOldForQuarkusTokenAge() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(100, java.time.Duration.ofSeconds(30), clock, ticker);
        String token = token("caller", 300, KEY_1); // iat now, exp in 5 minutes, accepted for 30 s only
        cache.put(token, verified(token, null));
        nowMillis.addAndGet(29_999);
        assertNotNull(cache.get(token, null));
        nowMillis.addAndGet(1);
        assertNull(cache.get(token, null), "gone at iat + quarkus.oidc.token.age");
    }

    @Test
    void anExpiredOrForeignIdentityIsNotStored() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(100, clock, ticker);
        String expired = token("caller", 0, KEY_1);
        cache.put(expired, verified(expired, null));
        String other = token("other", 300, KEY_1);
        cache.put(token("caller", 300, KEY_1), verified(other, null)); // an identity for a different token
        cache.put(other, QuarkusSecurityIdentity.builder().setAnonymous(true).build());
        cache.put(other, null);
        assertEquals(0, cache.size());
    }

    @Test
    void aFloodOfDistinctTokensStaysWithinTheBound() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(50, clock, ticker);
        for (int i = 0; i < 1_000; i++) {
            String token = token("caller-" + i, 300, KEY_1);
            cache.put(token, verified(token, null));
            assertTrue(cache.size() <= 50, "size " + cache.size() + " after " + (i + 1) + " tokens");
        }
        assertEquals(50, cache.size());
    }

    @Test
    void tokensOfARetiredKeyAreDropped() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(100, clock, ticker);
        String old = token("caller", 300, KEY_1);
        String current = token("caller", 300, KEY_2);
        String withoutKid = Jwt.issuer("http://issuer").subject("caller").expiresAt(nowSeconds() + 300)
                .jws().algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.RS256).sign(KEY_1.pair().getPrivate());
        for (String token : new String[] { old, current, withoutKid }) {
            cache.put(token, verified(token, null));
        }
        assertEquals(3, cache.size());

        cache.retainKeys(Set.of("key-1", "key-2"));
        assertEquals(2, cache.size(), "a token without kid is dropped at every key-set change");
        cache.retainKeys(Set.of("key-2"));
        assertNull(cache.get(old, null));
        assertNotNull(cache.get(current, null));
        cache.retainKeys(Set.of());
        assertEquals(0, cache.size());
    }

    @Test
    void sizeZeroTurnsTheCacheOff() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(0, clock, ticker);
        String token = token("caller", 300, KEY_1);
        cache.put(token, verified(token, null));
        assertNull(cache.get(token, null));
        assertSame(false, cache.enabled());
    }
}
