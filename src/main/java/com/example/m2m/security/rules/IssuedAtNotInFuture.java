package com.example.m2m.security.rules;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;

import io.quarkus.arc.Unremovable;

/**
 * RFC 7519 section 4.1.6 and RFC 9068 section 4: a token issued in the future (beyond a clock-skew allowance,
 * {@code api.token.clock-skew-seconds}) is not valid yet. jose4j checks {@code iat} only when told to, and Quarkus
 * does not tell it. Quarkus requires {@code iat} itself ({@code quarkus.oidc.token.issued-at-required}).
 */
@Unremovable // found by Quarkus OIDC as a jose4j Validator bean, never injected
@ApplicationScoped
public class IssuedAtNotInFuture extends TokenRule {

    private final long clockSkewSeconds;
    private final Clock clock;

    @Inject
    public IssuedAtNotInFuture(@ConfigProperty(name = "api.token.clock-skew-seconds") long clockSkewSeconds) {
        this(clockSkewSeconds, Clock.systemUTC());
    }

    IssuedAtNotInFuture(long clockSkewSeconds, Clock clock) {
        this.clockSkewSeconds = clockSkewSeconds;
        this.clock = clock;
    }

    @Override
    protected RuleViolation check(Token token) throws MalformedClaimException {
        NumericDate issuedAt = token.claims().getIssuedAt();
        if (issuedAt == null) {
            return null; // required, or not, by Quarkus' own check
        }
        return issuedAt.getValue() > clock.millis() / 1000 + clockSkewSeconds ? RuleViolation.ISSUED_IN_FUTURE : null;
    }
}
