package com.example.m2m.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The {@code client} label of the metrics, with bounded cardinality: only verified client ids become labels, and
 * only the first {@code api.metrics.max-clients} distinct ones; every other client is {@code other}. An unknown or
 * hostile caller cannot create series: unverified requests are labelled {@code none}.
 */
@ApplicationScoped
public class ClientLabels {

    public static final String NONE = "none";
    public static final String OTHER = "other";

    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final int max;

    public ClientLabels(@ConfigProperty(name = "api.metrics.max-clients", defaultValue = "100") int max) {
        this.max = max;
    }

    public String label(String verifiedClientId) {
        if (verifiedClientId == null || verifiedClientId.isBlank()) {
            return NONE;
        }
        if (known.contains(verifiedClientId)) {
            return verifiedClientId;
        }
        synchronized (known) {
            if (known.size() < max) {
                known.add(verifiedClientId);
                return verifiedClientId;
            }
        }
        return OTHER;
    }
}
