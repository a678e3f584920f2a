package com.example.m2m.security;

import java.nio.file.Path;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The whole hostile suite against the packaged service (the jar in the prod profile, or the native executable when
 * the build made one), pointed at the local test issuer by ISSUER and AUDIENCE as a user would.
 */
@QuarkusIntegrationTest
class HostileRequestsIT extends HostileRequestsTest {

    @Override
    Path log() {
        return Path.of("target", "quarkus.log"); // where Quarkus writes the packaged service's output
    }
}
