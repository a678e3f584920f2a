package com.example.m2m.testsupport.providers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.example.m2m.api.Endpoints;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts an {@link EntraTenant} for a test class and configures the service and the in-process caller with one row of
 * the README's Entra ID settings, chosen by the init arg {@code row}:
 * <ul>
 * <li>{@code v2}: the API app's manifest says {@code accessTokenAcceptedVersion: 2};
 * {@code ISSUER=<base>/<tid>/v2.0}, {@code AUDIENCE=<API application id>};</li>
 * <li>{@code v1}: {@code accessTokenAcceptedVersion} null (v1.0 tokens); {@code ISSUER=<base>/<tid>},
 * {@code AUDIENCE=api://<API application id>};</li>
 * <li>{@code migration}: both issuers and both audiences, the v2.0 ones first; the tenant issues v1.0 tokens until a
 * test turns the manifest to 2.</li>
 * </ul>
 * All with {@code SCOPE_CLAIMS=roles} and the caller {@code TEST_CLIENT_ID}, {@code TEST_CLIENT_SECRET},
 * {@code TEST_CLIENT_SCOPE=api://<API application id>/.default}. Any other init arg is one more setting (or, with
 * an empty value, takes one away). The tenant is injected into a field of type {@link EntraTenant}.
 * <p>
 * Two daemon apps are registered: {@link #CALLER_ID}, granted the app role {@code read:messages}, and
 * {@link #ADMIN_ID}, granted {@code read:messages} and {@code admin:messages}.
 */
public class EntraTenantResource implements QuarkusTestResourceLifecycleManager {

    public static final String TENANT_ID = "4d1e2c3b-8a9f-4e6d-b5c7-0a1b2c3d4e5f";
    /** Another tenant, whose tokens nobody here trusts. */
    public static final String OTHER_TENANT_ID = "9b8a7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
    /** The API's application (client) id; its App ID URI is {@code api://<this>}. */
    public static final String API_ID = "6c0d5e2f-3b4a-4f19-8e7d-2a9b1c0d3e4f";
    public static final String CALLER_ID = "a3f1c9e2-7b6d-4c58-9e0a-1f2b3c4d5e6f";
    /** A client secret shaped like the portal's (40 characters, one of them {@code ~}). */
    public static final String CALLER_SECRET = "Zq48Q~Jk2vYtR9sLmN3pXw7bCdEfGhUi0aKoPe1T";
    public static final String ADMIN_ID = "e7b2d4f6-1a3c-4e5b-8d9f-0c1e2a3b4c5d";
    public static final String ADMIN_SECRET = "Hn93Q~Ab4cDe5FgHi6JkLm7NoPq8RsTu9VwXyZ0a";

    private EntraTenant tenant;
    private Map<String, String> args = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        args = Map.copyOf(initArgs);
    }

    @Override
    public Map<String, String> start() {
        String row = args.getOrDefault("row", "v2");
        tenant = EntraTenant.start(TENANT_ID, API_ID, row.equals("v2") ? 2 : 1);
        tenant.addDaemon(CALLER_ID, CALLER_SECRET, Set.of(Endpoints.READ_SCOPE));
        tenant.addDaemon(ADMIN_ID, ADMIN_SECRET, Set.of(Endpoints.READ_SCOPE, Endpoints.ADMIN_SCOPE));
        Map<String, String> settings = new LinkedHashMap<>();
        switch (row) {
            case "v2" -> {
                settings.put("ISSUER", tenant.v2Authority());
                settings.put("AUDIENCE", API_ID);
            }
            case "v1" -> {
                settings.put("ISSUER", tenant.v1Authority());
                settings.put("AUDIENCE", "api://" + API_ID);
            }
            case "migration" -> {
                settings.put("ISSUER", tenant.v2Authority() + "," + tenant.v1Authority());
                settings.put("AUDIENCE", API_ID + ",api://" + API_ID);
            }
            default -> throw new IllegalArgumentException("row " + row);
        }
        settings.put("SCOPE_CLAIMS", "roles");
        settings.put("TEST_CLIENT_ID", CALLER_ID);
        settings.put("TEST_CLIENT_SECRET", CALLER_SECRET);
        settings.put("TEST_CLIENT_SCOPE", "api://" + API_ID + "/.default");
        args.forEach((name, value) -> {
            if (!name.equals("row")) {
                settings.put(name, value);
            }
        });
        // The in-process caller (MessagesApi) is off in the service itself; the tests turn it on for themselves.
        settings.put("quarkus.oidc-client.client-enabled", "true");
        return settings;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(tenant, new TestInjector.MatchesType(EntraTenant.class));
    }

    @Override
    public void stop() {
        if (tenant != null) {
            tenant.close();
        }
    }
}
