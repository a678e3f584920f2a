package com.example.m2m.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one view of each issuer's published keys, written by {@link SigningKeyWatch} at every JWKS answer and read by
 * everything that depends on the keys: the verified-token cache (a hit needs its key in its issuer's current set),
 * the refusal memory (a verdict stands only under the keys it was made with: {@link #epoch}) and the rule that a key
 * is used with its own algorithm only ({@code rules.KeyAlgorithm}). Each key is known by its RFC 7638 thumbprint, with
 * the algorithm its JWK declares ({@code alg}), if any.
 */
@ApplicationScoped
public class PublishedKeys {

    /**
     * Per issuer (tenant): thumbprint to declared algorithm ("" when the JWK declares none). An issuer's map is replaced
     * whole at every JWKS answer of that issuer; none until its first answer.
     */
    private final Map<String, Map<String, String>> byTenant = new ConcurrentHashMap<>();

    /** Moves on at every change of any issuer's key set (never for the same set fetched again). */
    private final AtomicLong epoch = new AtomicLong();

    /** An issuer's key set as its JWKS answer gave it: thumbprint to declared algorithm. */
    public void update(String tenant, Map<String, String> thumbprintToAlgorithm) {
        Map<String, String> keys = Map.copyOf(thumbprintToAlgorithm);
        if (!keys.equals(byTenant.put(tenant, keys))) {
            epoch.incrementAndGet();
        }
    }

    /** Whether the issuer's current key set has this key; false before its first key set was seen. */
    public boolean publishes(String tenant, String thumbprint) {
        Map<String, String> keys = byTenant.get(tenant);
        return keys != null && thumbprint != null && keys.containsKey(thumbprint);
    }

    /**
     * Which key sets are current: equal epochs mean that no issuer's key set changed between them. A memory made under
     * one epoch is not trusted under another (a signature verdict is only as good as the keys it was made with).
     */
    public long epoch() {
        return epoch.get();
    }

    /**
     * The algorithm the JWK with this thumbprint declares; "" when it is published without one, null when it is not
     * published (or its issuers disagree, see below). With several issuers, any issuer's declaration counts (the rule
     * runs inside jose4j, which does not say which tenant verifies; the signature check has already chosen the
     * issuer's own keys). A key that two issuers publish for different algorithms (no real pair of issuers does) is
     * held to neither declaration: null.
     */
    public String declaredAlgorithm(String thumbprint) {
        if (thumbprint == null) {
            return null;
        }
        String declared = null;
        for (Map<String, String> issuer : byTenant.values()) {
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
