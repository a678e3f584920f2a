package com.example.m2m.security.rules;

import static com.example.m2m.security.rules.Tokens.signed;
import static com.example.m2m.security.rules.Tokens.verdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

class Rfc9068ProfileTest {

    private static final String AT_JWT = "{\"alg\":\"RS256\",\"typ\":\"at+jwt\"}";

    private static JsonObject claims() {
        return new JsonObject().put("iss", "https://issuer").put("exp", 2_000_000_000L).put("aud", "api://messages")
                .put("sub", "caller").put("client_id", "caller").put("iat", 1_800_000_000L).put("jti", "id-1");
    }

    @Test
    void offByDefault() throws Exception {
        assertNull(verdict(new Rfc9068Profile(false), signed("{\"sub\":\"caller\"}")));
    }

    @Test
    void anRfc9068TokenPasses() throws Exception {
        assertNull(verdict(new Rfc9068Profile(true), signed(AT_JWT, claims().encode())));
        assertNull(verdict(new Rfc9068Profile(true), signed("{\"alg\":\"RS256\",\"typ\":\"application/at+jwt\"}",
                claims().encode())));
    }

    @Test
    void aPlainJwtIsRefused() throws Exception {
        assertEquals(RuleViolation.NOT_RFC9068, verdict(new Rfc9068Profile(true),
                signed("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", claims().encode())));
        assertEquals(RuleViolation.NOT_RFC9068, verdict(new Rfc9068Profile(true), signed(claims().encode())));
    }

    @Test
    void eachRequiredClaimIsRequired() throws Exception {
        for (String claim : Rfc9068Profile.REQUIRED_CLAIMS) {
            JsonObject without = claims();
            without.remove(claim);
            assertEquals(RuleViolation.MISSING_RFC9068_CLAIM, verdict(new Rfc9068Profile(true),
                    signed(AT_JWT, without.encode())), claim);
        }
    }
}
