package com.example.m2m.security;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The keys the issuer publishes in its JWKS as last seen by {@link SigningKeyWatch}: each key's RFC 7638 thumbprint
 * and the algorithm its JWK declares ({@code alg}), if any. Read by the rule that a key is used with its own algorithm
 * only ({@code rules.KeyAlgorithm}).
 */
@ApplicationScoped
public class PublishedKeys {

    /** Thumbprint to declared algorithm ("" when the JWK declares none). Replaced whole at every JWKS answer. */
    private volatile Map<String, String> algorithms = Map.of();

    void update(Map<String, String> thumbprintToAlgorithm) {
        algorithms = Map.copyOf(thumbprintToAlgorithm);
    }

    /** The algorithm the JWK with this thumbprint declares; null when it declares none or is not published. */
    public String declaredAlgorithm(String thumbprint) {
        String algorithm = thumbprint == null ? null : algorithms.get(thumbprint);
        return algorithm == null || algorithm.isEmpty() ? null : algorithm;
    }
}
