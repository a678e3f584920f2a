package com.example.m2m.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * {@code ISSUER} lists three issuers of the real Keycloak: the m2m realm, the partner realm, and a realm that does not
 * exist (its discovery answers 404: an issuer whose keys cannot be had). Also a listening socket that counts the
 * connections it gets ({@link Unlisted}): the URL of an issuer no one listed, which must never be contacted.
 */
public class SeveralRealmsResource implements QuarkusTestResourceLifecycleManager {

    /** An address nobody listed as an issuer, and how many connections reached it. */
    public record Unlisted(String issuer, AtomicInteger connections) {
    }

    public static final String ABSENT_REALM = "absent";

    private ServerSocket socket;
    private Unlisted unlisted;

    @Override
    public Map<String, String> start() {
        try {
            socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        unlisted = new Unlisted("http://127.0.0.1:" + socket.getLocalPort() + "/realms/unlisted", new AtomicInteger());
        Thread counter = new Thread(() -> {
            while (!socket.isClosed()) {
                try (Socket accepted = socket.accept()) {
                    unlisted.connections().incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "unlisted-issuer");
        counter.setDaemon(true);
        counter.start();
        return Map.of(
                "ISSUER", String.join(",", Keycloak.issuer(), Keycloak.issuer(Keycloak.PARTNER_REALM),
                        Keycloak.issuer(ABSENT_REALM)),
                "AUDIENCE", Keycloak.AUDIENCE,
                "quarkus.management.port", String.valueOf(Management.TEST_PORT));
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(unlisted, new TestInjector.MatchesType(Unlisted.class));
    }

    @Override
    public void stop() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
