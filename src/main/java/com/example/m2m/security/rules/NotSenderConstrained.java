package com.example.m2m.security.rules;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.Unremovable;

/**
 * RFC 9449 section 7.2 and RFC 8705 section 3: a token bound to a key ({@code cnf}: a DPoP key thumbprint
 * {@code jkt}, a certificate thumbprint {@code x5t#S256}, or any other confirmation method) must not be accepted as a
 * plain bearer token, or whoever steals it can use it. This service cannot check a proof of possession yet, so it
 * refuses every token that carries {@code cnf}.
 */
@Unremovable // found by Quarkus OIDC as a jose4j Validator bean, never injected
@ApplicationScoped
public class NotSenderConstrained extends TokenRule {

    @Override
    protected RuleViolation check(Token token) {
        // Present at all, even as null: a confirmation this service cannot check.
        return token.claims().getClaimsMap().containsKey("cnf") ? RuleViolation.BOUND_TOKEN : null;
    }
}
