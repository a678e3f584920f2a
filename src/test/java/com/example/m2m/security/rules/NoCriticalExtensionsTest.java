package com.example.m2m.security.rules;

import static com.example.m2m.security.rules.Tokens.signed;
import static com.example.m2m.security.rules.Tokens.verdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NoCriticalExtensionsTest {

    private final NoCriticalExtensions rule = new NoCriticalExtensions();

    @Test
    void noCritPasses() throws Exception {
        assertNull(verdict(rule, signed("{\"sub\":\"caller\"}")));
    }

    @ParameterizedTest
    @ValueSource(strings = { "[]", "[\"alg\"]", "[\"exp\"]", "null", "\"b64\"" })
    void anyCritIsRefused(String crit) throws Exception {
        assertEquals(RuleViolation.CRITICAL_EXTENSION, verdict(rule,
                signed("{\"alg\":\"RS256\",\"crit\":" + crit + ",\"exp\":1}", "{\"sub\":\"caller\"}")));
    }

    /** The header is parsed again only when "crit" could be in it: written with escapes, it still is found. */
    @Test
    void critWrittenWithEscapesIsRefusedToo() throws Exception {
        assertEquals(RuleViolation.CRITICAL_EXTENSION, verdict(rule,
                signed("{\"alg\":\"RS256\",\"\\u0063rit\":null}", "{\"sub\":\"caller\"}")));
        assertEquals(RuleViolation.CRITICAL_EXTENSION, verdict(rule,
                signed("{\"alg\":\"RS256\",\"cr\\u0069t\":[\"exp\"]}", "{\"sub\":\"caller\"}")));
    }

    /** "crit" as a value, not a member: nothing to refuse. */
    @Test
    void critAsAValueIsNotAMember() throws Exception {
        assertNull(verdict(rule, signed("{\"alg\":\"RS256\",\"x\":\"crit\"}", "{\"sub\":\"caller\"}")));
        assertNull(verdict(rule, signed("{\"alg\":\"RS256\",\"x\":\"\\\"crit\\\"\"}", "{\"sub\":\"caller\"}")));
    }
}
