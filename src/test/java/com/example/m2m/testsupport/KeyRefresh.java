package com.example.m2m.testsupport;

import java.time.Duration;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The JWKS refresh interval ({@code quarkus.oidc.token.forced-jwk-refresh-interval}: 10 s in prod, 2 s in the test
 * profile so that key-rotation tests do not wait 10 s each): an unknown {@code kid} makes the service fetch the issuer's
 * keys again only once this much time has passed since the last fetch.
 */
public final class KeyRefresh {

    private KeyRefresh() {
    }

    public static Duration interval() {
        return ConfigProvider.getConfig().getValue("quarkus.oidc.token.forced-jwk-refresh-interval", Duration.class);
    }

    /** Waits until an unknown kid may make the service fetch the keys again. */
    public static void awaitRefreshAllowed() throws InterruptedException {
        Thread.sleep(interval().toMillis() + 200);
    }
}
