package com.example.m2m.security.rules;

import static com.example.m2m.testsupport.TokenForge.b64;

import java.util.List;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwx.JsonWebStructure;

import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.TokenForge;

/** Tokens for the rules' unit tests, and what a rule says about them, as jose4j hands them over after the signature. */
final class Tokens {

    private static final LocalIssuer.SigningKey KEY = LocalIssuer.newKeyFast("key-1");

    private Tokens() {
    }

    static String signed(String headerJson, String claimsJson) {
        return TokenForge.signEncoded(b64(headerJson), b64(claimsJson), KEY.pair().getPrivate());
    }

    static String signed(String claimsJson) {
        return signed("{\"alg\":\"RS256\",\"kid\":\"key-1\"}", claimsJson);
    }

    /** The rule's verdict on a compact token, or null when it passes. */
    static RuleViolation verdict(TokenRule rule, String compact) throws Exception {
        JsonWebSignature jws = (JsonWebSignature) JsonWebStructure.fromCompactSerialization(compact);
        JwtClaims claims = JwtClaims.parse(jws.getUnverifiedPayload());
        return RuleViolation.fromMarker(rule.validate(new JwtContext(compact, claims, List.of(jws))));
    }
}
