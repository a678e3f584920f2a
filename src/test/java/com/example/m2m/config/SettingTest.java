package com.example.m2m.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each kind of setting: whitespace dropped, empty means unset, a bad value named in one line. */
class SettingTest {

    @ParameterizedTest
    @EnumSource(Setting.class)
    void emptyOrBlankIsUnset(Setting setting) {
        assertNull(setting.normalise(""));
        assertNull(setting.normalise("   "));
        assertNull(setting.normalise(null));
    }

    @Test
    void surroundingWhitespaceIsDropped() {
        assertEquals("https://kc.example/realms/m2m", Setting.ISSUER.normalise("  https://kc.example/realms/m2m \t"));
        assertEquals("read:messages", Setting.DEFAULT_SCOPE.normalise(" read:messages "));
        assertEquals("true", Setting.SWAGGER_UI_ENABLED.normalise(" TRUE "));
    }

    @Test
    void aBadValueIsOneLineNamingTheSetting() {
        IllegalArgumentException scope = assertThrows(IllegalArgumentException.class,
                () -> Setting.DEFAULT_SCOPE.normalise("read messages"));
        assertEquals("DEFAULT_SCOPE must be one OAuth scope (RFC 6749 section 3.3: no spaces, no quotes or"
                + " backslashes) (got 'read messages')", scope.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Setting.REQUIRE_RFC9068.normalise("yes"))
                .getMessage().startsWith("REQUIRE_RFC9068 must be `true` or `false`"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Setting.TOKEN_CACHE_SIZE.normalise("-1"))
                .getMessage().startsWith("TOKEN_CACHE_SIZE must be a whole number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Setting.API_URL.normalise("localhost:8080"))
                .getMessage().startsWith("API_URL must be an http(s) URL"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Setting.TRUSTED_ISSUERS.normalise("https://a.example, b.example")).getMessage()
                .startsWith("TRUSTED_ISSUERS must be"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Setting.REGISTRATION_ALLOWED_SCOPES.normalise("read:messages,,x\"y")).getMessage()
                .startsWith("REGISTRATION_ALLOWED_SCOPES must be"));
    }

    @Test
    void aSecretIsNeverQuoted() {
        // Every text is a valid secret; the rule exists so that no message could ever echo one.
        assertEquals("s3cr3t with spaces", Setting.TEST_CLIENT_SECRET.normalise(" s3cr3t with spaces "));
        for (Setting setting : Setting.values()) {
            if (setting.kind == Setting.Kind.SECRET) {
                assertFalse(setting.kind.rule.contains("got"));
            }
        }
    }

    @Test
    void ratesAndRatePairs() {
        assertEquals("100/1s", Setting.RATE_LIMIT.normalise(" 100/1s "));
        assertEquals("off", Setting.TOKEN_FAILURE_BUDGET.normalise("off"));
        assertEquals("batch=1000/1m,ops=off", Setting.RATE_LIMIT_CLIENTS.normalise("batch=1000/1m,ops=off"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Setting.RATE_LIMIT.normalise("100 per second"))
                .getMessage().startsWith("RATE_LIMIT must be a count per window such as `100/1s`"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Setting.RATE_LIMIT_SCOPES.normalise("tier:gold:500/1s")).getMessage()
                .startsWith("RATE_LIMIT_SCOPES must be `name=rate` pairs"));
    }

    @Test
    void aRedisUrlIsCheckedAndNeverQuotedSinceItMayHoldAPassword() {
        assertEquals("redis://:pw@redis:6379", Setting.REDIS_URL.normalise("redis://:pw@redis:6379"));
        assertEquals("rediss://redis.example:6380", Setting.REDIS_URL.normalise("rediss://redis.example:6380"));
        for (String bad : new String[] { "http://:hunter2@redis:6379", "redis:hunter2", "redis://:hunter2@/" }) {
            String message = assertThrows(IllegalArgumentException.class, () -> Setting.REDIS_URL.normalise(bad))
                    .getMessage();
            assertTrue(message.startsWith("REDIS_URL must be a redis:// or rediss:// URL"), message);
            assertFalse(message.contains("hunter2"), message);
        }
    }
}
