package com.example.m2m.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.LocalIssuer;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.common.OidcRequestContextProperties;
import io.quarkus.oidc.common.OidcResponseFilter.OidcResponseContext;
import io.quarkus.oidc.runtime.OidcJwtCallerPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.jwt.build.Jwt;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.buffer.Buffer;

/** What each JWKS answer does to the verified-token cache. */
class SigningKeyWatchTest {

    private final SigningKeyWatch watch = new SigningKeyWatch();
    private String old;
    private String current;

    @BeforeEach
    void cacheTwoTokens() throws Exception {
        watch.verifiedTokens = new VerifiedTokenCache(100, java.time.Clock.systemUTC(),
                com.github.benmanes.caffeine.cache.Ticker.systemTicker());
        old = remember("key-old");
        current = remember("key-current");
    }

    private String remember(String kid) throws Exception {
        String token = LocalIssuer.sign(Jwt.issuer("http://issuer").subject("caller").expiresIn(300),
                LocalIssuer.newKeyFast(kid));
        String payload = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        AccessTokenCredential credential = new AccessTokenCredential(token);
        watch.verifiedTokens.put(token, QuarkusSecurityIdentity.builder()
                .setPrincipal(new OidcJwtCallerPrincipal(org.jose4j.jwt.JwtClaims.parse(payload), credential))
                .addCredential(credential).build());
        return token;
    }

    private void answer(int status, String body) {
        watch.filter(new OidcResponseContext(new OidcRequestContextProperties(), status, MultiMap.caseInsensitiveMultiMap(),
                body == null ? null : Buffer.buffer(body)));
    }

    @Test
    void aKeySetWithoutTheOldKeyDropsItsTokens() {
        answer(200, """
                {"keys":[{"kty":"RSA","kid":"key-current","n":"AQAB","e":"AQAB"},{"kty":"RSA","n":"AQAB","e":"AQAB"}]}""");
        assertNull(watch.verifiedTokens.get(old, null));
        assertNotNull(watch.verifiedTokens.get(current, null));
    }

    @Test
    void aFailedFetchKeepsEverything() {
        answer(503, "{\"error\":\"unavailable\"}");
        assertEquals(2, watch.verifiedTokens.size());
    }

    @Test
    void anAnswerThatCannotBeReadTrustsNoKey() {
        answer(200, "<html>not a key set</html>");
        assertEquals(0, watch.verifiedTokens.size());
    }

    @Test
    void anEmptyAnswerTrustsNoKey() {
        answer(200, null);
        assertEquals(0, watch.verifiedTokens.size());
    }
}
