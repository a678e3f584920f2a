package com.example.m2m.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import com.example.m2m.shared.RedisStore;

/**
 * Where the state the pods may share is kept right now, in the readiness data: {@code "sharedIn":"redis"} (quotas and
 * DPoP proofs shared by the pods: Redis answered the last time it was asked), or {@code "pod"} (no {@code REDIS_URL},
 * Redis not reached yet, out of reach, or refusing the password: each pod keeps its own until it answers), and with
 * {@code REDIS_URL} what Redis answered last ({@code redisAnswer}). Always UP: a Redis outage must not take the pods
 * out of service.
 */
@Readiness
@ApplicationScoped
public class SharedStateReadinessCheck implements HealthCheck {

    static final String NAME = "shared-state";

    @Inject
    RedisStore redis;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named(NAME).up()
                .withData("sharedIn", redis.available() ? "redis" : "pod")
                .withData("redisConfigured", redis.configured())
                .withData("redisAvailable", redis.available());
        if (redis.configured()) {
            response.withData("redisAnswer", redis.answer());
        }
        return response.build();
    }
}
