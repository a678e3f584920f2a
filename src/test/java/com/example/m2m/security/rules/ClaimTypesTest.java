package com.example.m2m.security.rules;

import static com.example.m2m.security.rules.Tokens.signed;
import static com.example.m2m.security.rules.Tokens.verdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClaimTypesTest {

    private final ClaimTypes rule = new ClaimTypes();

    @ParameterizedTest
    @ValueSource(strings = { "{\"sub\":\"a\",\"jti\":\"b\",\"client_id\":\"c\",\"azp\":\"d\",\"cid\":\"e\",\"scope\":\"x y\"}",
            "{\"scp\":[\"read:messages\",\"x\"]}", "{\"scp\":\"read:messages\"}", "{\"scp\":[]}", "{}" })
    void theRightTypesPass(String claims) throws Exception {
        assertNull(verdict(rule, signed(claims)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"sub\":1}", "{\"sub\":{}}", "{\"jti\":2}", "{\"client_id\":true}", "{\"azp\":[\"a\"]}",
            "{\"cid\":3}", "{\"appid\":4}", "{\"token_use\":[\"access\"]}", "{\"scope\":[\"read:messages\"]}", "{\"scope\":42}", "{\"scp\":[1]}", "{\"scp\":{}}",
            "{\"scp\":[\"a\",null]}" })
    void anyOtherTypeIsRefused(String claims) throws Exception {
        assertEquals(RuleViolation.MALFORMED_CLAIM, verdict(rule, signed(claims)));
    }
}
