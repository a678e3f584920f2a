package com.example.m2m.testsupport.providers;

import java.security.SecureRandom;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a {@link CognitoUserPool} with two resource servers ({@code m2m-api}: this API, {@code other-api}: another
 * API of the same pool) and three app clients, and configures the service and its caller with exactly the README's
 * Cognito row: {@code ISSUER=<the pool's issuer>}, {@code AUDIENCE_CHECK=false},
 * {@code ALLOWED_CLIENTS=<caller>,<admin>}, {@code SCOPE_PREFIX=m2m-api/}; caller {@code TEST_CLIENT_ID},
 * {@code TEST_CLIENT_SECRET}. Tests receive the pool in a field of type {@link CognitoUserPool}.
 * <p>
 * The app clients (ids shaped like Cognito's, 26 lower-case letters and digits; secrets made per run):
 * <ul>
 * <li>{@link #CALLER}, on ALLOWED_CLIENTS: {@code m2m-api/read:messages} and {@code other-api/read:messages};</li>
 * <li>{@link #ADMIN}, on ALLOWED_CLIENTS: {@code m2m-api/read:messages} and {@code m2m-api/admin:messages};</li>
 * <li>{@link #OTHER_APP}, not on ALLOWED_CLIENTS (another application of the pool): every scope of {@code m2m-api};</li>
 * </ul>
 * A user of the pool signing in to {@link #CALLER} (InitiateAuth works with any app client whose explicit auth flows
 * allow it, e.g. {@code ALLOW_USER_SRP_AUTH}) gets an ID token whose {@code aud} is that allowed client:
 * {@link CognitoUserPool#signIn}.
 */
public class CognitoUserPoolResource implements QuarkusTestResourceLifecycleManager {

    public static final String RESOURCE_SERVER = "m2m-api";
    public static final String OTHER_RESOURCE_SERVER = "other-api";
    public static final String CALLER = "5q8kc0t2mfn7v3s1hd9jbl4re6";
    public static final String ADMIN = "2a7fp9xw4nd1ku6hc3mzq8tb0v";
    public static final String OTHER_APP = "7h3ms0jv9cq2te5kx8wn1bfg4p";

    private CognitoUserPool pool;

    @Override
    public Map<String, String> start() {
        pool = CognitoUserPool.start();
        pool.addResourceServer(RESOURCE_SERVER, "read:messages", "admin:messages", "clients:register");
        pool.addResourceServer(OTHER_RESOURCE_SERVER, "read:messages", "write:messages");
        pool.addAppClient(CALLER, secret(), "m2m-api/read:messages", "other-api/read:messages");
        pool.addAppClient(ADMIN, secret(), "m2m-api/read:messages", "m2m-api/admin:messages");
        pool.addAppClient(OTHER_APP, secret(), "m2m-api/read:messages", "m2m-api/admin:messages");
        return Map.of(
                "ISSUER", pool.issuer(),
                "AUDIENCE_CHECK", "false",
                "ALLOWED_CLIENTS", CALLER + "," + ADMIN,
                "SCOPE_PREFIX", RESOURCE_SERVER + "/",
                "TEST_CLIENT_ID", CALLER,
                "TEST_CLIENT_SECRET", pool.appClient(CALLER).secret());
    }

    /** An app client secret like Cognito's: 51 lower-case letters and digits. */
    private static String secret() {
        SecureRandom random = new SecureRandom();
        StringBuilder secret = new StringBuilder();
        for (int i = 0; i < 51; i++) {
            secret.append(Character.forDigit(random.nextInt(36), 36));
        }
        return secret.toString();
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(pool, new TestInjector.MatchesType(CognitoUserPool.class));
    }

    @Override
    public void stop() {
        if (pool != null) {
            pool.close();
        }
    }
}
