package com.example.m2m.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * application.properties as each profile reads it, with the example .env's settings in place (as after
 * {@code cp .env.example .env}): dev mode's built-in issuer must not be held to the example's AUDIENCE.
 */
class DevProfileTest {

    private static SmallRyeConfig config(String profile, Map<String, String> dotEnv) throws Exception {
        return new SmallRyeConfigBuilder()
                .withProfile(profile)
                .withSources(new PropertiesConfigSource(
                        DevProfileTest.class.getClassLoader().getResource("application.properties"), 250))
                .withSources(new PropertiesConfigSource(dotEnv, ".env", 295))
                .build();
    }

    @Test
    void devModeChecksNoAudienceEvenWithTheExampleEnvFile() throws Exception {
        Map<String, String> exampleEnv = Map.of("ISSUER", "http://127.0.0.1:18180/realms/m2m", "AUDIENCE",
                "api://messages");
        assertEquals("any", config("dev", exampleEnv).getRawValue("quarkus.oidc.token.audience"));
        assertEquals("api://messages", config("prod", exampleEnv).getRawValue("quarkus.oidc.token.audience"));
    }
}
