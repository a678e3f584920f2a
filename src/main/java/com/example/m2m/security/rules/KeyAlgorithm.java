package com.example.m2m.security.rules;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.example.m2m.security.KeyThumbprint;
import com.example.m2m.security.PublishedKeys;

import io.quarkus.arc.Unremovable;

/**
 * RFC 8725 section 3.1 and RFC 7517 section 4.4: a key is used with the one algorithm it is published for. When the
 * issuer's JWK for the key that verified the token declares an {@code alg} (Keycloak, Okta, Auth0 and Entra ID all
 * do), the token's header {@code alg} must be that one: an RS256 key does not verify PS256 or RS512 tokens, and an
 * encryption key ({@code RSA-OAEP}) verifies none. Quarkus accepts any asymmetric algorithm the key can compute.
 */
@Unremovable // found by Quarkus OIDC as a jose4j Validator bean, never injected
@ApplicationScoped
public class KeyAlgorithm extends TokenRule {

    @Inject
    PublishedKeys publishedKeys;

    @Override
    protected RuleViolation check(Token token) {
        String declared = publishedKeys.declaredAlgorithm(KeyThumbprint.of(token.jws().getKey()));
        return declared == null || declared.equals(token.jws().getAlgorithmHeaderValue()) ? null
                : RuleViolation.WRONG_ALGORITHM_FOR_KEY;
    }
}
