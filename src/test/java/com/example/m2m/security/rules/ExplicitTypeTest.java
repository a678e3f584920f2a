package com.example.m2m.security.rules;

import static com.example.m2m.security.rules.Tokens.signed;
import static com.example.m2m.security.rules.Tokens.verdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExplicitTypeTest {

    private final ExplicitType rule = new ExplicitType();

    private static String typed(String typJson) {
        return signed("{\"alg\":\"RS256\",\"typ\":" + typJson + "}", "{\"sub\":\"caller\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = { "\"JWT\"", "\"jwt\"", "\"at+jwt\"", "\"AT+JWT\"", "\"application/at+jwt\"",
            "\"application/jwt\"", "\"Application/At+Jwt\"" })
    void accessTokenTypesPass(String typ) throws Exception {
        assertNull(verdict(rule, typed(typ)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "\"secevent+jwt\"", "\"logout+jwt\"", "\"dpop+jwt\"", "\"JOSE\"", "\"\"", "\"xat+jwt\"",
            "\"application/secevent+jwt\"", "1", "true", "[\"JWT\"]", "{}", "null" })
    void anyOtherTypeIsRefused(String typ) throws Exception {
        assertEquals(RuleViolation.WRONG_TYPE, verdict(rule, typed(typ)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"alg\":\"RS256\"}", "{\"alg\":\"RS256\",\"kid\":\"k\"}" })
    void noTypIsAnAccessToken(String header) throws Exception {
        assertNull(verdict(rule, signed(header, "{\"sub\":\"caller\"}")));
    }
}
