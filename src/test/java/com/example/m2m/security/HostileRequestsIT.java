package com.example.m2m.security;

import org.junit.jupiter.api.Tag;

import com.example.m2m.testsupport.PackagedService;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The whole hostile suite against the packaged service (the jar in the prod profile, or the native executable when
 * the build made one), pointed at the local test issuer by ISSUER and AUDIENCE as a user would. Quarkus writes the
 * packaged service's log, at the production levels, to the same file the in-process suite reads
 * ({@code quarkus.log.file.path} of the test profile, emptied at launch), so the same log check applies.
 */
@QuarkusIntegrationTest
@Tag(PackagedService.TAG)
class HostileRequestsIT extends HostileRequestsTest {
}
