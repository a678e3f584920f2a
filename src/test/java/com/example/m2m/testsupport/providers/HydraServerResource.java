package com.example.m2m.testsupport.providers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a {@link HydraServer} (an Ory Network project with JWT access tokens, dynamic registration off) with one
 * client-credentials client allowed the scope {@code read:messages} and the API's audience, and gives the service and
 * its caller exactly the settings of the README's Ory row: service {@code ISSUER=https://<project>.projects.oryapis.com}
 * (no trailing slash), {@code AUDIENCE=<API identifier>}; caller {@code TEST_CLIENT_ID}, {@code TEST_CLIENT_SECRET},
 * {@code TEST_CLIENT_AUDIENCE=<API identifier>}. Injected into a test's field of type {@link HydraServer}.
 */
public class HydraServerResource implements QuarkusTestResourceLifecycleManager {

    public static final String API = "https://api.example.com/messages";
    /** Hydra's client ids are UUID v4s, its secrets 26 characters. */
    public static final String CALLER_ID = "3f6c1d2e-9a47-4b8e-8c35-7d0e5f1a2b64";
    public static final String CALLER_SECRET = "p7Qx.Kz2~Wm9_Lr4-Tn8Vb3Yc6";

    private HydraServer server;

    @Override
    public Map<String, String> start() {
        server = new HydraServer(false);
        server.addClient(CALLER_ID, CALLER_SECRET, List.of("read:messages"), List.of(API));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("ISSUER", server.issuer());
        settings.put("AUDIENCE", API);
        settings.put("TEST_CLIENT_ID", CALLER_ID);
        settings.put("TEST_CLIENT_SECRET", CALLER_SECRET);
        settings.put("TEST_CLIENT_AUDIENCE", API);
        // The caller runs in the test's process (as CallerTokenLifetimeTest's does).
        settings.put("quarkus.oidc-client.client-enabled", "true");
        return settings;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(server, new TestInjector.MatchesType(HydraServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
