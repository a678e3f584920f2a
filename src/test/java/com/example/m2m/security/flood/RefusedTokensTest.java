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

import com.example.m2m.security.PublishedKeys;
import com.example.m2m.security.TokenDigest;
import com.example.m2m.security.TokenFailure;
import com.example.m2m.security.dpop.ProofViolation;
import com.example.m2m.testsupport.TestClock;

import io.quarkus.security.AuthenticationFailedException;

class RefusedTokensTest {

    private final PublishedKeys keys = new PublishedKeys();
    private final TestClock clock = new TestClock(1_795_996_800_000L);
    private final RefusedTokens refused = new RefusedTokens(keys, 100, Duration.ofMinutes(5), clock.ticker());

    private static Throwable verdict(int errorCode) {
        return new AuthenticationFailedException(new InvalidJwtException("refused",
                List.of(new ErrorCodeValidator.Error(errorCode, "refused")), null));
    }

    private static boolean remembered(TokenFailure failure) {
        return failure.cost() == TokenFailure.Cost.REMEMBERED;
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
        refused.remember(token, failure);
        assertEquals(failure, refused.refusalOf(token), failure.reason());
    }

    @Test
    void notYetValidIsNotRemembered() {
        Throwable cause = verdict(ErrorCodes.NOT_YET_VALID);
        TokenFailure failure = failureFor(cause);
        assertEquals("not_yet_valid", failure.reason());
        assertFalse(remembered(failure), "it becomes valid with time");
    }

    @Test
    void anUnknownKeyIsNotRemembered() {
        Throwable cause = new AuthenticationFailedException(new InvalidJwtException("no key",
                new ErrorCodeValidator.Error(ErrorCodes.MISCELLANEOUS, "no key"), new UnresolvableKeyException("kid"),
                null));
        assertFalse(remembered(failureFor(cause)), "the issuer may publish the key next");
        Throwable bare = new AuthenticationFailedException(new UnresolvableKeyException("kid"));
        assertFalse(remembered(failureFor(bare)));
    }

    @Test
    void aFailureThatIsNotTheVerificationsVerdictIsNotRemembered() {
        Throwable outage = new AuthenticationFailedException("OIDC server is not available");
        TokenFailure failure = failureFor(outage);
        assertEquals("malformed", failure.reason(), "reported as malformed, yet");
        assertFalse(remembered(failure), "it was never checked");
    }

    @Test
    void proofAndBindingRefusalsBelongToTheRequestNotTheToken() {
        Throwable cause = verdict(ErrorCodes.SIGNATURE_INVALID);
        for (ProofViolation violation : ProofViolation.values()) {
            assertFalse(remembered(violation.failure()), violation.name());
        }
        assertFalse(remembered(TokenFailure.ISSUER_UNAVAILABLE));
        assertFalse(remembered(TokenFailure.invalidRequest("x")));
    }

    @Test
    void aChangedKeySetEndsEveryMemoryAnUnchangedOneNone() {
        Throwable cause = verdict(ErrorCodes.SIGNATURE_INVALID);
        TokenDigest token = TokenDigest.of("forged");
        keys.update(com.example.m2m.security.QuarkusOidc.DEFAULT_TENANT, java.util.Map.of("key-1", ""));
        refused.remember(token, failureFor(cause));

        keys.update(com.example.m2m.security.QuarkusOidc.DEFAULT_TENANT, java.util.Map.of("key-1", ""));
        assertTrue(refused.refusalOf(token) != null, "the same keys fetched again: still known bad");

        keys.update(com.example.m2m.security.QuarkusOidc.DEFAULT_TENANT, java.util.Map.of("key-1", "", "key-2", ""));
        assertNull(refused.refusalOf(token), "a new key: the signature verdict is checked again");
    }

    @Test
    void aMemoryEndsAfterItsLifetimeAndTheMemoryIsBounded() {
        Throwable cause = verdict(ErrorCodes.SIGNATURE_INVALID);
        TokenDigest token = TokenDigest.of("forged");
        refused.remember(token, failureFor(cause));
        clock.advanceSeconds(299);
        assertTrue(refused.refusalOf(token) != null);
        clock.advanceSeconds(2);
        assertNull(refused.refusalOf(token));

        for (int i = 0; i < 1_000; i++) {
            refused.remember(TokenDigest.of("forged-" + i), failureFor(cause));
        }
        assertTrue(refused.size() <= 100, "at most the configured size: " + refused.size());
    }

    @Test
    void sizeZeroRemembersNothing() {
        RefusedTokens off = new RefusedTokens(keys, 0, Duration.ofMinutes(5), clock.ticker());
        Throwable cause = verdict(ErrorCodes.SIGNATURE_INVALID);
        off.remember(TokenDigest.of("forged"), failureFor(cause));
        assertNull(off.refusalOf(TokenDigest.of("forged")));
    }

    @Test
    void anIssuerSayingATokenIsNotActiveIsPermanentButAnOutageIsNot() {
        TokenFailure notActive = TokenFailure.ofIntrospection(
                new AuthenticationFailedException("Token issued to client m2m-api is not active"));
        assertEquals(TokenFailure.NOT_ACTIVE, notActive);
        assertTrue(remembered(notActive));
        assertFalse(remembered(TokenFailure.ofIntrospection(
                new AuthenticationFailedException(new java.net.ConnectException()))));
        // An answer for another API: this service's own verdict on it.
        assertTrue(remembered(TokenFailure.ofIntrospection(new AuthenticationFailedException(
                new TokenFailure.Refused(TokenFailure.WRONG_AUDIENCE)))));
    }
}
