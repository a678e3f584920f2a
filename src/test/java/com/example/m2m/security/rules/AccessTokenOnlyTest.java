package com.example.m2m.security.rules;

import static com.example.m2m.security.rules.Tokens.signed;
import static com.example.m2m.security.rules.Tokens.verdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AccessTokenOnlyTest {

    private final AccessTokenOnly rule = new AccessTokenOnly();

    @ParameterizedTest
    @ValueSource(strings = { "{}", "{\"token_use\":\"access\",\"client_id\":\"app\"}", "{\"scp\":[\"a\"],\"cid\":\"c\"}",
            "{\"azp\":\"c\",\"ver\":\"2.0\",\"roles\":[\"read:messages\"]}" })
    void accessTokensPass(String claims) throws Exception {
        assertNull(verdict(rule, signed(claims)));
    }

    /** Cognito's ID tokens say so; other providers' ID tokens carry claims only ID tokens have (OIDC Core 2, 3.3.2.11). */
    @ParameterizedTest
    @ValueSource(strings = { "{\"token_use\":\"id\",\"aud\":\"app\"}", "{\"token_use\":\"refresh\"}",
            "{\"token_use\":1}", "{\"nonce\":\"n-0S6_WzA2Mj\",\"aud\":\"api-client-id\"}",
            "{\"at_hash\":\"77QmUPtjPfzWtF2AnpK9RQ\"}", "{\"c_hash\":\"LDktKdoQak3Pk0cnXxCltA\"}",
            "{\"token_use\":\"access\",\"nonce\":\"x\"}" })
    void idTokensAreRefused(String claims) throws Exception {
        assertEquals(RuleViolation.NOT_AN_ACCESS_TOKEN, verdict(rule, signed(claims)));
    }
}
