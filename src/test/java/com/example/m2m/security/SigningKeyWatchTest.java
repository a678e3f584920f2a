package com.example.m2m.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.ErrorCodeValidator;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.example.m2m.security.flood.RefusedTokens;
import com.example.m2m.testsupport.LocalIssuer;
import com.github.benmanes.caffeine.cache.Ticker;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.common.OidcRequestContextProperties;
import io.quarkus.oidc.common.OidcResponseFilter.OidcResponseFilterContext;
import io.quarkus.oidc.runtime.OidcJwtCallerPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.jwt.build.Jwt;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.buffer.Buffer;

/** What each JWKS answer does to the verified-token cache: keys are matched by thumbprint, not by kid. */
class SigningKeyWatchTest {

    private static final LocalIssuer.SigningKey OLD = LocalIssuer.newKey("key-old");
    private static final LocalIssuer.SigningKey CURRENT = LocalIssuer.newKey("key-current");

    private final SigningKeyWatch watch = new SigningKeyWatch();
    /** What reads the watch's key view. */
    private RefusedTokens refusedTokens;
    private VerifiedTokenCache verifiedTokens;
    private String old;
    private String current;

    @BeforeEach
    void cacheTwoTokens() throws Exception {
        watch.publishedKeys = new PublishedKeys();
        refusedTokens = new RefusedTokens(watch.publishedKeys, 100, Duration.ofMinutes(5), Ticker.systemTicker());
        verifiedTokens = new VerifiedTokenCache(watch.publishedKeys, 100, java.time.Clock.systemUTC(),
                Ticker.systemTicker());
        answer(200, jwks(OLD, CURRENT));
        old = remember(OLD);
        current = remember(CURRENT);
        assertEquals(2, verifiedTokens.size());
    }

    private String remember(LocalIssuer.SigningKey key) throws Exception {
        String token = LocalIssuer.sign(Jwt.issuer("http://issuer").subject("caller").expiresIn(300), key);
        String payload = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        AccessTokenCredential credential = new AccessTokenCredential(token);
        verifiedTokens.noteVerifyingKey(token, KeyThumbprint.of(key.pair().getPublic()));
        verifiedTokens.put(token, QuarkusSecurityIdentity.builder()
                .setPrincipal(new OidcJwtCallerPrincipal(JwtClaims.parse(payload), credential))
                .addCredential(credential).build());
        return token;
    }

    private static String jwk(LocalIssuer.SigningKey key, String kid) {
        try {
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(key.pair().getPublic());
            jwk.setKeyId(kid);
            return jwk.toJson();
        } catch (org.jose4j.lang.JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String jwks(LocalIssuer.SigningKey... keys) {
        StringBuilder json = new StringBuilder("{\"keys\":[");
        for (int i = 0; i < keys.length; i++) {
            json.append(i == 0 ? "" : ",").append(jwk(keys[i], keys[i].kid()));
        }
        return json.append("]}").toString();
    }

    private void answer(int status, String body) {
        watch.filter(new OidcResponseFilterContext(new OidcRequestContextProperties(), status,
                MultiMap.caseInsensitiveMultiMap(), body == null ? null : Buffer.buffer(body))).await().indefinitely();
    }

    @Test
    void aKeySetWithoutTheOldKeyDropsItsTokens() {
        answer(200, jwks(CURRENT).replace("]}", ",{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]}"));
        assertNull(verifiedTokens.get(old, null));
        assertNotNull(verifiedTokens.get(current, null));
    }

    @Test
    void anotherKeyUnderTheOldKidDropsTheOldKeysTokens() {
        answer(200, "{\"keys\":[" + jwk(CURRENT, "key-old") + "]}");
        assertNull(verifiedTokens.get(old, null), "the kid is the same, the key is not");
        assertNotNull(verifiedTokens.get(current, null));
    }

    @Test
    void thumbprintsAreTheKeysNotTheirKids() {
        assertEquals(Set.of(KeyThumbprint.of(OLD.pair().getPublic())),
                SigningKeyWatch.keys("{\"keys\":[" + jwk(OLD, "any-kid") + ",{\"kty\":\"unknown\"}]}").keySet());
    }

    @Test
    void eachKeysPublishedAlgorithmIsKept() {
        answer(200, jwks(CURRENT).replace("{\"kty\"", "{\"alg\":\"PS256\",\"kty\""));
        assertEquals("PS256", watch.publishedKeys.declaredAlgorithm(
                KeyThumbprint.of(CURRENT.pair().getPublic())));
        assertNull(watch.publishedKeys.declaredAlgorithm(KeyThumbprint.of(OLD.pair().getPublic())));
    }

    @Test
    void aFailedFetchKeepsEverything() {
        answer(503, "{\"error\":\"unavailable\"}");
        assertEquals(2, verifiedTokens.size());
    }

    @Test
    void anAnswerThatCannotBeReadTrustsNoKey() {
        answer(200, "<html>not a key set</html>");
        assertEquals(0, verifiedTokens.size());
    }

    @Test
    void anEmptyAnswerTrustsNoKey() {
        answer(200, null);
        assertEquals(0, verifiedTokens.size());
    }

    @Test
    void aChangedKeySetEndsTheRememberedRefusalsTheSameKeySetFetchedAgainKeepsThem() {
        TokenDigest forged = TokenDigest.of("forged");
        TokenFailure badSignature = TokenFailure.of(new InvalidJwtException("bad signature",
                List.of(new ErrorCodeValidator.Error(ErrorCodes.SIGNATURE_INVALID, "bad")), null));
        refusedTokens.remember(forged, badSignature);

        answer(200, jwks(OLD, CURRENT));
        assertEquals(badSignature, refusedTokens.refusalOf(forged), "the same keys: the verdict stands");
        answer(200, jwks(CURRENT));
        assertEquals(null, refusedTokens.refusalOf(forged), "other keys: checked afresh");
    }
}
