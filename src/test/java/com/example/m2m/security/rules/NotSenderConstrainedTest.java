package com.example.m2m.security.rules;

import static com.example.m2m.security.rules.Tokens.signed;
import static com.example.m2m.security.rules.Tokens.verdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NotSenderConstrainedTest {

    private final NotSenderConstrained rule = new NotSenderConstrained();

    @Test
    void anUnboundTokenPasses() throws Exception {
        assertNull(verdict(rule, signed("{\"sub\":\"caller\"}")));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"jkt\":\"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I\"}", "{\"x5t#S256\":\"abc\"}", "{}",
            "\"x\"", "null" })
    void anyConfirmationClaimIsRefused(String cnf) throws Exception {
        assertEquals(RuleViolation.BOUND_TOKEN, verdict(rule, signed("{\"sub\":\"caller\",\"cnf\":" + cnf + "}")));
    }
}
