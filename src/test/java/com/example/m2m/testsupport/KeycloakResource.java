package com.example.m2m.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points the service, and its caller, at the real Keycloak by the same settings a user gives (ISSUER, AUDIENCE,
 * TEST_CLIENT_ID, TEST_CLIENT_SECRET). Keycloak itself is started once per test run by the build, not here.
 */
public class KeycloakResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of(
                "ISSUER", Keycloak.issuer(),
                "AUDIENCE", Keycloak.AUDIENCE,
                // The packaged service of an *IT gets the management port the tests use (testsupport/Management).
                "quarkus.management.port", String.valueOf(Management.TEST_PORT),
                "TEST_CLIENT_ID", Keycloak.TEST_CLIENT_ID,
                "TEST_CLIENT_SECRET", Keycloak.TEST_CLIENT_SECRET,
                // The caller is off in the service; the tests are the caller.
                "quarkus.oidc-client.client-enabled", "true",
                // The service's own client for dynamic client registration (POST /api/clients).
                "REGISTRATION_ENABLED", "true",
                "REGISTRAR_CLIENT_ID", Keycloak.REGISTRAR_ID,
                "REGISTRAR_CLIENT_SECRET", Keycloak.REGISTRAR_SECRET);
    }

    @Override
    public void stop() {
    }
}
