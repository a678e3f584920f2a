package com.example.m2m.security.rules;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.Unremovable;

/**
 * RFC 7515 section 4.1.11: {@code crit} lists extensions the recipient must understand, must not be empty, and must
 * not name the specification's own header parameters. This service understands no extension (RFC 9068 tokens use
 * none), so a token with any {@code crit} header is refused. jose4j refuses unknown names itself but accepts an empty
 * list, and would process {@code b64} (RFC 7797 unencoded payloads, which JWTs may not use).
 */
@Unremovable // found by Quarkus OIDC as a jose4j Validator bean, never injected
@ApplicationScoped
public class NoCriticalExtensions extends TokenRule {

    @Override
    protected RuleViolation check(Token token) {
        return token.hasHeader("crit") ? RuleViolation.CRITICAL_EXTENSION : null;
    }
}
