package com.example.m2m.security.flood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.jose4j.jwt.consumer.ErrorCodeValidator;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.UnresolvableKeyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.example.m2m.security.TokenDigest;
import com.example.m2m.security.TokenFailure;
import com.example.m2m.security.dpop.ProofViolation;
import com.example.m2m.testsupport.TestClock;

import io.quarkus.security.AuthenticationFailedException;

class RefusedTokensTest {

    private final TestClock clock = new TestClock(1_795_996_800_000L);
    private final RefusedTokens refused = new RefusedTokens(100, Duration.ofMinutes(5), clock.ticker());

    private static Throwable verdict(int errorCode) {
        return new AuthenticationFailedException(new InvalidJwtException("refused",
                List.of(new ErrorCodeValidator.Error(errorCode, "refused")), null));
    }

    /** What the verification says for this jose4j error code, as the mechanism reads it. */
    private static TokenFailure failureFor(Throwable cause) {
        return TokenFailure.of(cause);
    }

    @ParameterizedTest
    @ValueSource(ints = { ErrorCodes.SIGNATURE_INVALID, ErrorCodes.EXPIRED, ErrorCodes.ISSUER_INVALID,
            ErrorCodes.AUDIENCE_INVALID, ErrorCodes.EXPIRATION_MISSING, ErrorCodes.MALFORMED_CLAIM,
            ErrorCodes.MISCELLANEOUS })
    void aVerdictThatCannotChangeIsRemembered(int errorCode) {
        Throwable cause = verdict(errorCode);
        TokenFailure failure = failureFor(cause);
        TokenDigest token = TokenDigest.of("token-" + errorCode);
        refused.remember(token, failure, cause);
        assertEquals(failure, refused.refusalOf(token), failure.reason());
    }

    @Test
    void notYetValidIsNotRemembered() {
        Throwable cause = verdict(ErrorCodes.NOT_YET_VALID);
        TokenFailure failure = failureFor(cause);
        assertEquals("not_yet_valid", failure.reason());
        assertFalse(RefusedTokens.isPermanent(failure, cause), "it becomes valid with time");
    }

    @Test
    void anUnknownKeyIsNotRemembered() {
        Throwable cause = new AuthenticationFailedException(new InvalidJwtException("no key",
                new ErrorCodeValidator.Error(ErrorCodes.MISCELLANEOUS, "no key"), new UnresolvableKeyException("kid"),
                null));
        assertFalse(RefusedTokens.isPermanent(failureFor(cause), cause), "the issuer may publish the key next");
        Throwable bare = new AuthenticationFailedException(new UnresolvableKeyException("kid"));
        assertFalse(RefusedTokens.isPermanent(failureFor(bare), bare));
    }

    @Test
    void aFailureThatIsNotTheVerificationsVerdictIsNotRemembered() {
        Throwable outage = new AuthenticationFailedException("OIDC server is not available");
        TokenFailure failure = failureFor(outage);
        assertEquals("malformed", failure.reason(), "reported as malformed, yet");
        assertFalse(RefusedTokens.isPermanent(failure, outage), "it was never checked");
    }

    @Test
    void proofAndBindingRefusalsBelongToTheRequestNotTheToken() {
        Throwable cause = verdict(ErrorCodes.SIGNATURE_INVALID);
        for (ProofViolation violation : ProofViolation.values()) {
            assertFalse(RefusedTokens.isPermanent(violation.failure(), cause), violation.name());
        }
        assertFalse(RefusedTokens.isPermanent(TokenFailure.invalidToken("issuer_unavailable", "x"), cause));
        assertFalse(RefusedTokens.isPermanent(TokenFailure.invalidRequest("x"), cause));
    }

    @Test
    void aChangedKeySetEndsEveryMemoryAnUnchangedOneNone() {
        Throwable cause = verdict(ErrorCodes.SIGNATURE_INVALID);
        TokenDigest token = TokenDigest.of("forged");
        refused.keySetSeen(Set.of("key-1"));
        refused.remember(token, failureFor(cause), cause);

        refused.keySetSeen(Set.of("key-1"));
        assertTrue(refused.refusalOf(token) != null, "the same keys fetched again: still known bad");

        refused.keySetSeen(Set.of("key-1", "key-2"));
        assertNull(refused.refusalOf(token), "a new key: the signature verdict is checked again");
    }

    @Test
    void aMemoryEndsAfterItsLifetimeAndTheMemoryIsBounded() {
        Throwable cause = verdict(ErrorCodes.SIGNATURE_INVALID);
        TokenDigest token = TokenDigest.of("forged");
        refused.remember(token, failureFor(cause), cause);
        clock.advanceSeconds(299);
        assertTrue(refused.refusalOf(token) != null);
        clock.advanceSeconds(2);
        assertNull(refused.refusalOf(token));

        for (int i = 0; i < 1_000; i++) {
            refused.remember(TokenDigest.of("forged-" + i), failureFor(cause), cause);
        }
        assertTrue(refused.size() <= 100, "at most the configured size: " + refused.size());
    }

    @Test
    void sizeZeroRemembersNothing() {
        RefusedTokens off = new RefusedTokens(0, Duration.ofMinutes(5), clock.ticker());
        Throwable cause = verdict(ErrorCodes.SIGNATURE_INVALID);
        off.remember(TokenDigest.of("forged"), failureFor(cause), cause);
        assertNull(off.refusalOf(TokenDigest.of("forged")));
    }

    @Test
    void anIssuerSayingATokenIsNotActiveIsPermanentButAnOutageIsNot() {
        assertTrue(RefusedTokens.isPermanent(com.example.m2m.security.TokenFailure.NOT_ACTIVE, null));
        assertTrue(RefusedTokens.isPermanent(com.example.m2m.security.TokenFailure.NOT_ACTIVE,
                new io.quarkus.security.AuthenticationFailedException("not active")));
        org.junit.jupiter.api.Assertions.assertFalse(RefusedTokens.isPermanent(
                com.example.m2m.security.TokenFailure.INTROSPECTION_UNAVAILABLE,
                new io.quarkus.security.AuthenticationFailedException(new java.net.ConnectException())));
        // An answer for another API: this service's own verdict on it.
        assertTrue(RefusedTokens.isPermanent(com.example.m2m.security.TokenFailure.WRONG_AUDIENCE,
                new io.quarkus.security.AuthenticationFailedException(
                        new com.example.m2m.security.TokenFailure.Refused(
                                com.example.m2m.security.TokenFailure.WRONG_AUDIENCE))));
    }
}
