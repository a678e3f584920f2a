package com.example.m2m.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points the service at an issuer URL on a free loopback port where nothing listens yet. Tests receive the port
 * ({@link ReservedPort}, in a field annotated {@link InjectLocalIssuer}) to start an issuer there later.
 */
public class UnreachableIssuerResource implements QuarkusTestResourceLifecycleManager {

    public record ReservedPort(int port) {
    }

    private ReservedPort reserved;

    @Override
    public Map<String, String> start() {
        try (ServerSocket socket = new ServerSocket(0)) {
            reserved = new ReservedPort(socket.getLocalPort());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("ISSUER", "http://127.0.0.1:" + reserved.port(), "AUDIENCE", "api://messages",
                "quarkus.management.port", String.valueOf(Management.TEST_PORT));
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(reserved,
                new TestInjector.AnnotatedAndMatchesType(InjectLocalIssuer.class, ReservedPort.class));
    }

    @Override
    public void stop() {
    }
}
