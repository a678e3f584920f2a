package com.example.m2m.security.rules;

import static com.example.m2m.security.rules.Tokens.signed;
import static com.example.m2m.security.rules.Tokens.verdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.jose4j.jwt.MalformedClaimException;
import org.junit.jupiter.api.Test;

class IssuedAtNotInFutureTest {

    private static final long NOW = 1_800_000_000L;
    private final IssuedAtNotInFuture rule = new IssuedAtNotInFuture(60,
            Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));

    private String issuedAt(long iat) {
        return signed("{\"sub\":\"caller\",\"iat\":" + iat + "}");
    }

    @Test
    void upToTheClockSkewAheadPasses() throws Exception {
        assertNull(verdict(rule, issuedAt(NOW - 3600)));
        assertNull(verdict(rule, issuedAt(NOW)));
        assertNull(verdict(rule, issuedAt(NOW + 60)));
    }

    @Test
    void beyondTheClockSkewIsRefused() throws Exception {
        assertEquals(RuleViolation.ISSUED_IN_FUTURE, verdict(rule, issuedAt(NOW + 61)));
        assertEquals(RuleViolation.ISSUED_IN_FUTURE, verdict(rule, issuedAt(NOW + 86_400)));
    }

    @Test
    void noIatIsLeftToQuarkusAndAStringIatIsMalformed() throws Exception {
        assertNull(verdict(rule, signed("{\"sub\":\"caller\"}")));
        assertThrows(MalformedClaimException.class, () -> verdict(rule, signed("{\"iat\":\"later\"}")));
    }
}
