package com.example.m2m.security.rules;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.arc.Unremovable;

/**
 * {@code REQUIRE_RFC9068=true}: only access tokens in the JWT profile of RFC 9068 (section 2): the header
 * {@code typ: at+jwt} and the claims {@code iss exp aud sub client_id iat jti}. Off by default, since Keycloak and
 * Okta issue {@code typ: JWT}. (Quarkus' {@code quarkus.oidc.token.token-type} reads a {@code typ} claim, not the header.)
 */
@Unremovable // found by Quarkus OIDC as a jose4j Validator bean, never injected
@ApplicationScoped
public class Rfc9068Profile extends TokenRule {

    static final List<String> REQUIRED_CLAIMS = List.of("iss", "exp", "aud", "sub", "client_id", "iat", "jti");

    private final boolean required;

    public Rfc9068Profile(@ConfigProperty(name = "api.token.require-rfc9068", defaultValue = "false") boolean required) {
        this.required = required;
    }

    @Override
    protected RuleViolation check(Token token) {
        if (!required) {
            return null;
        }
        Object typ = token.header("typ");
        if (!(typ instanceof String text) || !"at+jwt".equals(ExplicitType.mediaType(text))) {
            return RuleViolation.NOT_RFC9068;
        }
        for (String claim : REQUIRED_CLAIMS) {
            if (!token.claims().hasClaim(claim)) {
                return RuleViolation.MISSING_RFC9068_CLAIM;
            }
        }
        return null;
    }
}
