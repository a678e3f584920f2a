package com.example.m2m.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import com.example.m2m.quota.QuotaStore;

/**
 * Where quotas are counted right now, in the readiness data: {@code redis} (shared by the pods), {@code pod} (Redis
 * configured but out of reach: each pod counts its own until it answers), or {@code pod} without Redis at all. Always
 * UP: a quota store outage must not take the pods out of service (the service keeps serving on per-pod quotas).
 */
@Readiness
@ApplicationScoped
public class QuotaStoreReadinessCheck implements HealthCheck {

    static final String NAME = "quota-store";

    @Inject
    QuotaStore store;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named(NAME).up()
                .withData("counted", store.shared() && store.available() ? "redis" : "pod")
                .withData("redisConfigured", store.shared())
                .withData("redisAvailable", store.shared() && store.available())
                .build();
    }
}
