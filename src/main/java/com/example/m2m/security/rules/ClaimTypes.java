package com.example.m2m.security.rules;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.Unremovable;

/**
 * The claims this API reads must have the JSON type their specifications give them (RFC 7519 section 4.1, RFC 9068
 * section 2.2, RFC 8693 section 4.2): strings for {@code sub jti client_id azp appid cid scope token_use}, a string array (or string)
 * for Okta's {@code scp}. jose4j checks the types of {@code iss aud exp nbf iat} as it validates them; a token with,
 * say, a numeric {@code sub} or a {@code scope} object would otherwise be read in some lenient way further on.
 */
@Unremovable // found by Quarkus OIDC as a jose4j Validator bean, never injected
@ApplicationScoped
public class ClaimTypes extends TokenRule {

    static final List<String> STRING_CLAIMS = List.of("sub", "jti", "client_id", "azp", "appid", "cid", "scope", "token_use");

    @Override
    protected RuleViolation check(Token token) {
        Map<String, Object> claims = token.claims().getClaimsMap();
        for (String name : STRING_CLAIMS) {
            Object value = claims.get(name);
            if (value != null && !(value instanceof String)) {
                return RuleViolation.MALFORMED_CLAIM;
            }
        }
        Object scp = claims.get("scp");
        if (scp != null && !(scp instanceof String) && !isStringList(scp)) {
            return RuleViolation.MALFORMED_CLAIM;
        }
        return null;
    }

    private static boolean isStringList(Object value) {
        return value instanceof Collection<?> values && values.stream().allMatch(String.class::isInstance);
    }
}
