package com.example.m2m.security.rules;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.Unremovable;

/**
 * RFC 8725 section 3.11 (explicit typing): a JWT whose {@code typ} header says it is another kind of token (a security
 * event token, a logout token, a DPoP proof, ...) is not an access token, however well it is signed. Accepted: no
 * {@code typ}, {@code JWT}, or RFC 9068's {@code at+jwt}, each also with the {@code application/} prefix RFC 7515
 * section 4.1.9 allows, in any case. A {@code typ} that is not a string is refused.
 */
@Unremovable // found by Quarkus OIDC as a jose4j Validator bean, never injected
@ApplicationScoped
public class ExplicitType extends TokenRule {

    @Override
    protected RuleViolation check(Token token) {
        if (!token.hasHeader("typ")) {
            return null;
        }
        Object typ = token.header("typ");
        String type = typ instanceof String text ? mediaType(text) : null;
        return "jwt".equals(type) || "at+jwt".equals(type) ? null : RuleViolation.WRONG_TYPE;
    }

    /** The {@code typ} value in lower case, without the optional {@code application/} prefix. */
    static String mediaType(String typ) {
        String type = typ.toLowerCase(Locale.ROOT);
        return type.startsWith("application/") ? type.substring("application/".length()) : type;
    }
}
