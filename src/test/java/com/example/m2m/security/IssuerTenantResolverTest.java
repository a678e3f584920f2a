package com.example.m2m.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

/** What the resolver reads from a token before it is verified: the claimed {@code iss}, or nothing. */
class IssuerTenantResolverTest {

    private static String token(String payloadJson) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }

    @Test
    void readsTheClaimedIssuer() {
        assertEquals("https://kc.example/realms/m2m",
                IssuerTenantResolver.claimedIssuer(token("{\"iss\":\"https://kc.example/realms/m2m\"}")));
    }

    @Test
    void nothingForWhatIsNotAJwsWithAStringIssuer() {
        for (String token : new String[] { null, "opaque-token", "a.b", "a.b.c.d.e", token("{\"iss\":42}"),
                token("{\"iss\":[\"https://a\"]}"), token("not json"), token("{}"), "x.%%%.y" }) {
            assertNull(IssuerTenantResolver.claimedIssuer(token), String.valueOf(token));
        }
    }
}
