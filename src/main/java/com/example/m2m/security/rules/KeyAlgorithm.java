package com.example.m2m.security.rules;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.example.m2m.security.KeyThumbprint;
import com.example.m2m.security.PublishedKeys;

import io.quarkus.arc.Unremovable;

/**
 * RFC 8725 section 3.1 and RFC 7517 section 4.4: a key is used with the one algorithm it is published for. When the
 * issuer's JWK for the key that verified the token declares an {@code alg} (Keycloak, Okta, Auth0, Cognito do), the
 * token's header {@code alg} must be that one: an RS256 key does not verify PS256 or RS512 tokens, and an encryption
 * key ({@code RSA-OAEP}) verifies none. Quarkus accepts any asymmetric algorithm the key can compute.
 * <p>
 * A key published without {@code alg} (Entra ID's keys carry {@code kty use kid x5t n e x5c} only) is held to the one
 * algorithm its type implies: RS256 for an RSA key (the algorithm OIDC Core section 15.1 requires of every provider,
 * and the only one Entra ID signs with), ES256/384/512 for a P-256/384/521 key (RFC 7518 section 3.4 ties each to its
 * curve), EdDSA for an OKP key. So a missing {@code alg} never widens what a key verifies to RS512 or PS256.
 */
@Unremovable // found by Quarkus OIDC as a jose4j Validator bean, never injected
@ApplicationScoped
public class KeyAlgorithm extends TokenRule {

    @Inject
    PublishedKeys publishedKeys;

    @Override
    protected RuleViolation check(Token token) {
        java.security.Key key = token.jws().getKey();
        String declared = publishedKeys.declaredAlgorithm(KeyThumbprint.of(key));
        if (declared == null) {
            return null; // not a key of the last key set seen (it is being rotated): the signature check decided
        }
        String expected = declared.isEmpty() ? impliedAlgorithm(key) : declared;
        return expected == null || expected.equals(token.jws().getAlgorithmHeaderValue()) ? null
                : RuleViolation.WRONG_ALGORITHM_FOR_KEY;
    }

    /** The algorithm a key published without {@code alg} is used with, by its type; null for a type not known here. */
    static String impliedAlgorithm(java.security.Key key) {
        if (key instanceof java.security.interfaces.RSAKey) {
            return "RS256";
        }
        if (key instanceof java.security.interfaces.ECKey ec) {
            return switch (ec.getParams().getCurve().getField().getFieldSize()) {
                case 256 -> "ES256";
                case 384 -> "ES384";
                case 521 -> "ES512";
                default -> null;
            };
        }
        return "EdDSA".equals(key.getAlgorithm()) || "Ed25519".equals(key.getAlgorithm()) ? "EdDSA" : null;
    }
}
