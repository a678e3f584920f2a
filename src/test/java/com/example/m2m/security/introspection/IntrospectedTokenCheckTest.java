package com.example.m2m.security.introspection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.example.m2m.security.TokenFailure;

import io.quarkus.oidc.TokenIntrospection;

/** Whom an introspection answer is for: this API (aud) from the issuer asked (iss, when said). */
class IntrospectedTokenCheckTest {

    private static final String ISSUER = "https://kc.example/realms/m2m";
    private static final List<String> AUDIENCES = List.of("api://messages");

    private static TokenFailure check(String answer) {
        return IntrospectedTokenCheck.check(new TokenIntrospection(answer), ISSUER, AUDIENCES);
    }

    @Test
    void anAnswerForThisApiFromTheIssuerAskedPasses() {
        assertNull(check("{\"active\":true,\"aud\":\"api://messages\",\"iss\":\"" + ISSUER + "\"}"));
        assertNull(check("{\"active\":true,\"aud\":[\"other\",\"api://messages\"]}"), "iss is optional");
    }

    @Test
    void anAnswerForAnotherApiOrWithoutAnAudienceIsRefused() {
        assertEquals(TokenFailure.WRONG_AUDIENCE, check("{\"active\":true,\"aud\":\"api://other\"}"));
        assertEquals(TokenFailure.WRONG_AUDIENCE, check("{\"active\":true,\"aud\":[\"a\",\"b\"]}"));
        assertEquals(TokenFailure.WRONG_AUDIENCE, check("{\"active\":true}"));
        assertEquals(TokenFailure.WRONG_AUDIENCE, check("{\"active\":true,\"aud\":42}"));
    }

    @Test
    void anAnswerNamingAnotherIssuerIsRefused() {
        assertEquals(TokenFailure.WRONG_ISSUER,
                check("{\"active\":true,\"aud\":\"api://messages\",\"iss\":\"https://elsewhere\"}"));
        assertEquals(TokenFailure.WRONG_ISSUER, check("{\"active\":true,\"aud\":\"api://messages\",\"iss\":7}"));
    }

    @Test
    void withoutAnAudienceCheckOnlyTheIssuerCounts() {
        assertNull(IntrospectedTokenCheck.check(new TokenIntrospection("{\"active\":true}"), ISSUER, List.of()));
        assertNull(IntrospectedTokenCheck.check(new TokenIntrospection("{\"active\":true}"), ISSUER, List.of("any")));
    }
}
