package com.example.m2m.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The keys the issuer publishes in its JWKS as last seen by {@link SigningKeyWatch}: each key's RFC 7638 thumbprint
 * and the algorithm its JWK declares ({@code alg}), if any. Read by the rule that a key is used with its own algorithm
 * only ({@code rules.KeyAlgorithm}).
 */
@ApplicationScoped
public class PublishedKeys {

    /**
     * Per issuer (tenant): thumbprint to declared algorithm ("" when the JWK declares none). An issuer's map is replaced
     * whole at every JWKS answer of that issuer.
     */
    private final Map<String, Map<String, String>> algorithms = new ConcurrentHashMap<>();

    void update(String tenant, Map<String, String> thumbprintToAlgorithm) {
        algorithms.put(tenant, Map.copyOf(thumbprintToAlgorithm));
    }

    /**
     * The algorithm the JWK with this thumbprint declares; "" when it is published without one, null when it is not
     * published (or its issuers disagree, see below). With
     * several issuers, any issuer's declaration counts (the rule runs inside jose4j, which does not say which tenant
     * verifies; the signature check has already chosen the issuer's own keys). A key that two issuers publish for
     * different algorithms (no real pair of issuers does) is held to neither declaration: null.
     */
    public String declaredAlgorithm(String thumbprint) {
        if (thumbprint == null) {
            return null;
        }
        String declared = null;
        for (Map<String, String> issuer : algorithms.values()) {
            String algorithm = issuer.get(thumbprint);
            if (algorithm != null) {
                if (declared != null && !declared.equals(algorithm)) {
                    return null;
                }
                declared = algorithm;
            }
        }
        return declared;
    }
}
