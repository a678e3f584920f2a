package com.example.m2m.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import io.quarkus.oidc.OIDCException;
import io.quarkus.security.AuthenticationFailedException;

/** How a failed introspection reads: the issuer's verdict, or that it could not be asked. */
class TokenFailureTest {

    @Test
    void anAnswerThatTheTokenIsNotActiveIsNotActive() {
        assertEquals(TokenFailure.NOT_ACTIVE,
                TokenFailure.ofIntrospection(new AuthenticationFailedException("Token issued to client x is not active")));
    }

    @Test
    void anIssuerThatCouldNotBeAskedIsUnavailable() {
        assertEquals(TokenFailure.INTROSPECTION_UNAVAILABLE, TokenFailure.ofIntrospection(
                new AuthenticationFailedException(new java.net.ConnectException("refused"))));
        assertEquals(TokenFailure.INTROSPECTION_UNAVAILABLE, TokenFailure.ofIntrospection(
                new AuthenticationFailedException(new OIDCException("Error status:503"))));
        assertEquals(TokenFailure.INTROSPECTION_UNAVAILABLE, TokenFailure.ofIntrospection(
                new AuthenticationFailedException(new java.util.concurrent.TimeoutException())));
    }

    @Test
    void thisServicesOwnRefusalKeepsItsReason() {
        AuthenticationFailedException refused = new AuthenticationFailedException(
                new TokenFailure.Refused(TokenFailure.WRONG_AUDIENCE));
        assertEquals(TokenFailure.WRONG_AUDIENCE, TokenFailure.ofIntrospection(refused));
        assertEquals(TokenFailure.WRONG_AUDIENCE, TokenFailure.of(refused));
    }

    @Test
    void anUnexpectedFailureOfIntrospectionIsAnOutageNeverAVerdict() {
        // It used to read "not active": remembered for five minutes and charged to the source.
        for (Throwable unexpected : java.util.List.of(new IllegalStateException("a bug"),
                new AuthenticationFailedException(new NullPointerException()),
                new AuthenticationFailedException("something else"))) {
            TokenFailure failure = TokenFailure.ofIntrospection(unexpected);
            assertEquals(TokenFailure.INTROSPECTION_UNAVAILABLE, failure, unexpected.toString());
            assertEquals(TokenFailure.Cost.FREE, failure.cost(), unexpected.toString());
        }
    }

    @Test
    void anUnexpectedFailureOfVerificationIsNeitherRememberedNorCharged() {
        TokenFailure failure = TokenFailure.of(new AuthenticationFailedException(new IllegalStateException("a bug")));
        assertEquals("malformed", failure.reason(), "the answer the caller gets, as before");
        assertEquals(TokenFailure.Cost.FREE, failure.cost());
    }
}
