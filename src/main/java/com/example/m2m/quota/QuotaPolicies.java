package com.example.m2m.quota;

import com.example.m2m.limits.Rate;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which quota a verified client is held to, from the settings: its own ({@code RATE_LIMIT_CLIENTS}, by client id),
 * else the most generous of its token's scopes that have one ({@code RATE_LIMIT_SCOPES}), else the default
 * ({@code RATE_LIMIT}). {@code off} anywhere in that order means no quota for that client.
 */
@ApplicationScoped
public class QuotaPolicies {

    /** A quota of {@code off}: found, and no limit. */
    private static final QuotaPolicy UNLIMITED = new QuotaPolicy("off", null);

    private final QuotaPolicy defaultPolicy;
    private final Map<String, QuotaPolicy> byClient;
    private final Map<String, QuotaPolicy> byScope;

    @Inject
    public QuotaPolicies(@ConfigProperty(name = "api.quota.default", defaultValue = Rate.OFF) String defaultRate,
            @ConfigProperty(name = "api.quota.clients") Optional<String> clientRates,
            @ConfigProperty(name = "api.quota.scopes") Optional<String> scopeRates) {
        Rate rate = Rate.parse(defaultRate);
        this.defaultPolicy = rate == null ? null : new QuotaPolicy(QuotaPolicy.DEFAULT, rate);
        this.byClient = policies(QuotaPolicy.CLIENT, clientRates.orElse(null));
        this.byScope = policies(QuotaPolicy.SCOPE, scopeRates.orElse(null));
    }

    /** Whether any client can have a quota at all (if not, requests are not even counted). */
    public boolean any() {
        return defaultPolicy != null || byClient.values().stream().anyMatch(p -> p != UNLIMITED)
                || byScope.values().stream().anyMatch(p -> p != UNLIMITED);
    }

    /** The quota for this client with these scopes, or null when it has none. */
    public QuotaPolicy policyFor(String clientId, Set<String> scopes) {
        QuotaPolicy policy = clientId == null ? null : byClient.get(clientId);
        if (policy == null) {
            policy = mostGenerous(scopes);
        }
        if (policy == null) {
            policy = defaultPolicy;
        }
        return policy == UNLIMITED ? null : policy;
    }

    private QuotaPolicy mostGenerous(Set<String> scopes) {
        QuotaPolicy best = null;
        if (byScope.isEmpty()) {
            return null;
        }
        for (String scope : scopes) {
            QuotaPolicy candidate = byScope.get(scope);
            if (candidate == UNLIMITED) {
                return UNLIMITED;
            }
            if (candidate != null && (best == null || candidate.rate().perSecond() > best.rate().perSecond())) {
                best = candidate;
            }
        }
        return best;
    }

    /** {@code name=rate} pairs, comma-separated (the setting's rule has been checked by {@code Setting}). */
    static Map<String, QuotaPolicy> policies(String policyName, String written) {
        Map<String, QuotaPolicy> policies = new HashMap<>();
        for (Map.Entry<String, Rate> entry : parsePairs(written).entrySet()) {
            policies.put(entry.getKey(),
                    entry.getValue() == null ? UNLIMITED : new QuotaPolicy(policyName, entry.getValue()));
        }
        return Map.copyOf(policies);
    }

    /**
     * Reads {@code client-a=100/1s,client-b=off}: a name (a client id or a scope, split at its last {@code =}) and a
     * rate each ({@code null} for {@code off}). Throws {@link IllegalArgumentException} naming the pair that is wrong.
     */
    public static Map<String, Rate> parsePairs(String written) {
        Map<String, Rate> pairs = new HashMap<>();
        if (written == null) {
            return pairs;
        }
        for (String pair : written.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.lastIndexOf('=');
            String name = equals < 0 ? "" : pair.substring(0, equals).strip();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("'" + pair.strip() + "' is not name=rate");
            }
            try {
                pairs.put(name, Rate.parse(pair.substring(equals + 1)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + pair.strip() + "': the rate is " + e.getMessage());
            }
        }
        return pairs;
    }
}
