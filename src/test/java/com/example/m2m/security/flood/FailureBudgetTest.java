package com.example.m2m.security.flood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.jose4j.jwt.consumer.ErrorCodeValidator;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.UnresolvableKeyException;
import org.junit.jupiter.api.Test;

import com.example.m2m.limits.Rate;
import com.example.m2m.testsupport.TestClock;

import io.quarkus.security.AuthenticationFailedException;

class FailureBudgetTest {

    /** A whole minute (2026-11-30T00:00:00Z). */
    private final TestClock clock = new TestClock(1_795_996_800_000L);
    private final FailureBudget budget = new FailureBudget(new Rate(3, 60), Duration.ZERO, null, clock);

    /** The source a request from this address is counted as. */
    private static String from(String address) {
        return SourceAddress.of(address);
    }

    @Test
    void aSourceIsThrottledOnceItsFailuresReachTheBudgetUntilTheWindowEnds() {
        String attacker = from("192.0.2.66");
        for (int i = 0; i < 3; i++) {
            assertEquals(0, budget.throttledFor(attacker), "failure " + i);
            budget.charge(attacker);
        }
        clock.advanceSeconds(15);
        assertEquals(45, budget.throttledFor(attacker));
        assertEquals(0, budget.throttledFor(from("192.0.2.67")), "another address has its own budget");
        clock.advanceSeconds(45);
        assertEquals(0, budget.throttledFor(attacker), "a new window, a new budget");
    }

    @Test
    void oneIpv6NetworkSharesOneBudget() {
        budget.charge(from("2001:db8:0:1::1"));
        budget.charge(from("2001:db8:0:1::2"));
        budget.charge(from("2001:db8:0:1::3"));
        assertTrue(budget.throttledFor(from("2001:db8:0:1::4")) > 0);
        assertEquals(0, budget.throttledFor(from("2001:db8:0:2::1")));
    }

    @Test
    void offMeansNoBudget() {
        FailureBudget off = new FailureBudget(null, Duration.ZERO, null, clock);
        String attacker = from("192.0.2.66");
        for (int i = 0; i < 100; i++) {
            off.charge(attacker);
        }
        assertEquals(0, off.throttledFor(attacker));
    }

    private static boolean charged(Throwable verificationFailure) {
        return com.example.m2m.security.TokenFailure.of(verificationFailure).cost().charged();
    }

    @Test
    void onlyAVerificationsOwnVerdictIsCharged() {
        InvalidJwtException badSignature = new InvalidJwtException("signature",
                java.util.List.of(new ErrorCodeValidator.Error(ErrorCodes.SIGNATURE_INVALID, "bad")), null);
        assertTrue(charged(new AuthenticationFailedException(badSignature)));
        assertTrue(charged(new AuthenticationFailedException(new UnresolvableKeyException("kid"))));
        assertFalse(charged(new AuthenticationFailedException("OIDC server is not available")),
                "the issuer out of reach: not the caller's failure");
        assertFalse(charged(new IllegalStateException()));
    }
}
