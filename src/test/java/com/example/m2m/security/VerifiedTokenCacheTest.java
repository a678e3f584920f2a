package com.example.m2m.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.TestClock;
import com.github.benmanes.caffeine.cache.Ticker;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.runtime.OidcJwtCallerPrincipal;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.jwt.build.Jwt;
import io.vertx.ext.web.RoutingContext;

/** The cache's rules, on a clock the test moves: bounded, never past {@code exp}, keyed by the whole token. */
class VerifiedTokenCacheTest {

    private static final LocalIssuer.SigningKey KEY_1 = LocalIssuer.newKey("key-1");
    private static final LocalIssuer.SigningKey KEY_2 = LocalIssuer.newKey("key-2");
    /** A new key published under key-1's kid (a reused kid). */
    private static final LocalIssuer.SigningKey KEY_1_REUSED = LocalIssuer.newKey("key-1");

    /** The issuers' key sets, as SigningKeyWatch writes them. */
    private final PublishedKeys keys = new PublishedKeys();

    private void publish(String tenant, String... thumbprints) {
        java.util.Map<String, String> set = new java.util.HashMap<>();
        for (String thumbprint : thumbprints) {
            set.put(thumbprint, "");
        }
        keys.update(tenant, set);
    }

    private static String thumbprint(LocalIssuer.SigningKey key) {
        return KeyThumbprint.of(key.pair().getPublic());
    }

    /** A cache that has seen a key set with KEY_1 and KEY_2. */
    private VerifiedTokenCache cache(long maxSize) {
        VerifiedTokenCache cache = new VerifiedTokenCache(keys, maxSize, clock, ticker);
        publish(QuarkusOidc.DEFAULT_TENANT, thumbprint(KEY_1), thumbprint(KEY_2));
        return cache;
    }

    /** What a request does: Quarkus verifies the token with the key (the recorder notes it), then the put. */
    private static void verifyAndPut(VerifiedTokenCache cache, String token, LocalIssuer.SigningKey key) throws Exception {
        cache.noteVerifyingKey(token, thumbprint(key));
        cache.put(token, verified(token, null));
    }

    /** A wall clock and a ticker that the test moves together. */
    private final TestClock clock = new TestClock(1_800_000_000_000L);
    private final Ticker ticker = clock.ticker();

    private long nowSeconds() {
        return clock.nowSeconds();
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
        VerifiedTokenCache cache = cache(100);
        String token = token("caller", 300, KEY_1);
        assertNull(cache.get(token, null), "nothing before the first verification");
        cache.noteVerifyingKey(token, thumbprint(KEY_1));
        cache.put(token, verified(token, "first request"));

        SecurityIdentity hit = cache.get(token, null);
        assertNotNull(hit);
        assertEquals(Set.of("read:messages"), hit.getRoles());
        assertEquals("caller", hit.getPrincipal().getName());
        assertNull(hit.getAttribute(RoutingContext.class.getName()), "the first request's context is not kept");
    }

    @Test
    void anyChangedByteIsAnotherToken() throws Exception {
        VerifiedTokenCache cache = cache(100);
        String token = token("caller", 300, KEY_1);
        verifyAndPut(cache, token, KEY_1);
        String lastChanged = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
        assertNotEquals(TokenDigest.of(token), TokenDigest.of(lastChanged));
        assertNull(cache.get(lastChanged, null));
        assertNull(cache.get(token + "x", null));
        assertNull(cache.get(token.substring(1), null));
    }

    @Test
    void anEntryNeverOutlivesTheTokensExpiry() throws Exception {
        VerifiedTokenCache cache = cache(100);
        String token = token("caller", 60, KEY_1);
        verifyAndPut(cache, token, KEY_1);
        clock.advanceMillis(59_999);
        assertNotNull(cache.get(token, null), "still valid 1 ms before exp");
        clock.advanceMillis(1);
        assertNull(cache.get(token, null), "gone at exp");
        assertEquals(0, cache.size());
    }

    @Test
    void anEntryEndsWhenTheTokenIsTooOldForQuarkusTokenAge() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(keys, 100, java.time.Duration.ofSeconds(30), clock, ticker);
        publish(QuarkusOidc.DEFAULT_TENANT, thumbprint(KEY_1));
        String token = token("caller", 300, KEY_1); // iat now, exp in 5 minutes, accepted for 30 s only
        verifyAndPut(cache, token, KEY_1);
        clock.advanceMillis(29_999);
        assertNotNull(cache.get(token, null));
        clock.advanceMillis(1);
        assertNull(cache.get(token, null), "gone at iat + quarkus.oidc.token.age");
    }

    @Test
    void anExpiredOrForeignIdentityIsNotStored() throws Exception {
        VerifiedTokenCache cache = cache(100);
        String expired = token("caller", 0, KEY_1);
        verifyAndPut(cache, expired, KEY_1);
        String other = token("other", 300, KEY_1);
        String caller = token("caller", 300, KEY_1);
        cache.noteVerifyingKey(caller, thumbprint(KEY_1));
        cache.put(caller, verified(other, null)); // an identity for a different token
        cache.noteVerifyingKey(other, thumbprint(KEY_1));
        cache.put(other, QuarkusSecurityIdentity.builder().setAnonymous(true).build());
        cache.put(other, null);
        assertEquals(0, cache.size());
    }

    @Test
    void aFloodOfDistinctTokensStaysWithinTheBound() throws Exception {
        VerifiedTokenCache cache = cache(50);
        for (int i = 0; i < 1_000; i++) {
            String token = token("caller-" + i, 300, KEY_1);
            verifyAndPut(cache, token, KEY_1);
            assertTrue(cache.size() <= 50, "size " + cache.size() + " after " + (i + 1) + " tokens");
        }
        assertEquals(50, cache.size());
    }

    @Test
    void tokensOfARetiredKeyAreDropped() throws Exception {
        VerifiedTokenCache cache = cache(100);
        String old = token("caller", 300, KEY_1);
        String current = token("caller", 300, KEY_2);
        String withoutKid = Jwt.issuer("http://issuer").subject("caller").expiresAt(nowSeconds() + 300)
                .jws().algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.RS256).sign(KEY_1.pair().getPrivate());
        verifyAndPut(cache, old, KEY_1);
        verifyAndPut(cache, current, KEY_2);
        verifyAndPut(cache, withoutKid, KEY_1);
        assertEquals(3, cache.size());

        publish(QuarkusOidc.DEFAULT_TENANT, thumbprint(KEY_1), thumbprint(KEY_2));
        assertEquals(3, cache.size(), "the same key set keeps every entry, with or without kid");
        publish(QuarkusOidc.DEFAULT_TENANT, thumbprint(KEY_2));
        assertNull(cache.get(old, null));
        assertNull(cache.get(withoutKid, null), "keyed by the key that verified it, not by kid");
        assertNotNull(cache.get(current, null));
        publish(QuarkusOidc.DEFAULT_TENANT);
        assertEquals(0, cache.size());
    }

    @Test
    void aKeyPublishedLaterUnderAnOldKidDoesNotKeepTheOldKeysTokens() throws Exception {
        VerifiedTokenCache cache = cache(100);
        String old = token("caller", 300, KEY_1);
        verifyAndPut(cache, old, KEY_1);
        assertNotNull(cache.get(old, null));
        // The issuer replaces the key behind kid "key-1": a fresh check of the old token would fail its signature.
        publish(QuarkusOidc.DEFAULT_TENANT, thumbprint(KEY_1_REUSED), thumbprint(KEY_2));
        assertNull(cache.get(old, null));
        assertEquals(0, cache.size());
    }

    @Test
    void aVerificationThatEndsAfterItsKeyWasRetiredStoresNothing() throws Exception {
        VerifiedTokenCache cache = cache(100);
        String token = token("caller", 300, KEY_1);
        // The signature check passed with KEY_1 ...
        cache.noteVerifyingKey(token, thumbprint(KEY_1));
        // ... then a JWKS answer without KEY_1 arrived before the verification ended ...
        publish(QuarkusOidc.DEFAULT_TENANT, thumbprint(KEY_2));
        // ... and the verified identity arrives.
        cache.put(token, verified(token, null));
        assertNull(cache.get(token, null));
        assertEquals(0, cache.size());
    }

    @Test
    void eachIssuersEntriesFollowThatIssuersKeySetOnly() throws Exception {
        VerifiedTokenCache cache = cache(100);
        publish("issuer-2", thumbprint(KEY_2));
        String first = token("first", 300, KEY_1);
        String second = token("second", 300, KEY_2);
        verifyAndPut(cache, first, KEY_1);
        cache.noteVerifyingKey(second, thumbprint(KEY_2));
        cache.put(second, QuarkusSecurityIdentity.builder(verified(second, null))
                .addAttribute(QuarkusOidc.TENANT_ATTRIBUTE, "issuer-2").build());
        assertNotNull(cache.get(first, null));
        assertNotNull(cache.get(second, null));
        // The second issuer drops KEY_2: its token goes, the first issuer's (whose set still has KEY_2) stays.
        publish("issuer-2");
        assertNull(cache.get(second, null));
        assertNotNull(cache.get(first, null));
        // A key the first issuer publishes does not make a token of the second issuer's tenant valid.
        cache.noteVerifyingKey(second, thumbprint(KEY_1));
        cache.put(second, QuarkusSecurityIdentity.builder(verified(second, null))
                .addAttribute(QuarkusOidc.TENANT_ATTRIBUTE, "issuer-2").build());
        assertNull(cache.get(second, null));
        // A tenant whose key set was never seen stores nothing.
        String third = token("third", 300, KEY_1);
        cache.noteVerifyingKey(third, thumbprint(KEY_1));
        cache.put(third, QuarkusSecurityIdentity.builder(verified(third, null))
                .addAttribute(QuarkusOidc.TENANT_ATTRIBUTE, "issuer-3").build());
        assertNull(cache.get(third, null));
    }

    @Test
    void anIntrospectedTokenIsHeldAsLongAsItsAnswerAndNoKeyChangeEndsIt() {
        VerifiedTokenCache cache = cache(100); // INTROSPECTION_CACHE_SECONDS 30 (the test constructor's)
        String opaque = "opaque-token-1";
        long exp = nowSeconds() + 300;
        io.quarkus.oidc.TokenIntrospection answer = new io.quarkus.oidc.TokenIntrospection(
                "{\"active\":true,\"client_id\":\"c\",\"exp\":" + exp + "}");
        AccessTokenCredential credential = new AccessTokenCredential(opaque);
        SecurityIdentity introspected = QuarkusSecurityIdentity.builder()
                .setPrincipal(() -> "c").addCredential(credential).addRole("read:messages")
                .addAttribute(QuarkusOidc.INTROSPECTION_ATTRIBUTE, answer).build();
        cache.put(opaque, introspected);
        assertTrue(cache.get(opaque, null).hasRole("read:messages"));
        publish(QuarkusOidc.DEFAULT_TENANT); // a key-set change: not what vouched for it
        assertNotNull(cache.get(opaque, null));
        clock.advanceSeconds(29);
        assertNotNull(cache.get(opaque, null));
        clock.advanceSeconds(2);
        assertNull(cache.get(opaque, null), "no longer than an introspection answer is trusted");
        // Never past exp; and an answer without exp is not held at all.
        String shortLived = "opaque-token-2";
        io.quarkus.oidc.TokenIntrospection soon = new io.quarkus.oidc.TokenIntrospection(
                "{\"active\":true,\"exp\":" + (nowSeconds() + 5) + "}");
        cache.put(shortLived, QuarkusSecurityIdentity.builder().setPrincipal(() -> "c")
                .addCredential(new AccessTokenCredential(shortLived))
                .addAttribute(QuarkusOidc.INTROSPECTION_ATTRIBUTE, soon).build());
        clock.advanceSeconds(6);
        assertNull(cache.get(shortLived, null));
        String noExp = "opaque-token-3";
        cache.put(noExp, QuarkusSecurityIdentity.builder().setPrincipal(() -> "c")
                .addCredential(new AccessTokenCredential(noExp))
                .addAttribute(QuarkusOidc.INTROSPECTION_ATTRIBUTE,
                        new io.quarkus.oidc.TokenIntrospection("{\"active\":true}")).build());
        assertNull(cache.get(noExp, null));
    }

    @Test
    void aTokenNotVerifiedWithAKeyIsNotStored() throws Exception {
        VerifiedTokenCache cache = cache(100);
        String token = token("caller", 300, KEY_1);
        cache.put(token, verified(token, null)); // accepted some other way (introspection, UserInfo): no key noted
        assertEquals(0, cache.size());
    }

    @Test
    void nothingIsStoredBeforeTheFirstKeySet() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(keys, 100, clock, ticker);
        String token = token("caller", 300, KEY_1);
        verifyAndPut(cache, token, KEY_1);
        assertEquals(0, cache.size());
    }

    @Test
    void sizeZeroTurnsTheCacheOff() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(keys, 0, clock, ticker);
        publish(QuarkusOidc.DEFAULT_TENANT, thumbprint(KEY_1));
        String token = token("caller", 300, KEY_1);
        verifyAndPut(cache, token, KEY_1);
        assertNull(cache.get(token, null));
        assertSame(false, cache.enabled());
    }
}
