package com.example.m2m.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a {@link LocalIssuer} for a test class and points the service at it, requiring the audience
 * {@code api://messages}. Tests receive the issuer in a field annotated {@link InjectLocalIssuer}.
 */
public class LocalIssuerResource implements QuarkusTestResourceLifecycleManager {

    private LocalIssuer issuer;

    @Override
    public Map<String, String> start() {
        issuer = LocalIssuer.start();
        // The packaged service of an *IT gets the management port the tests use (testsupport/Management).
        return Map.of("ISSUER", issuer.url(), "AUDIENCE", "api://messages", "quarkus.management.port",
                String.valueOf(Management.TEST_PORT));
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(issuer,
                new TestInjector.AnnotatedAndMatchesType(InjectLocalIssuer.class, LocalIssuer.class));
    }

    @Override
    public void stop() {
        if (issuer != null) {
            issuer.close();
        }
    }
}
