package com.example.m2m.security.dpop;

import org.junit.jupiter.api.Tag;

import com.example.m2m.testsupport.PackagedService;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same against the packaged service (jar, AOT jar or native executable). */
@QuarkusIntegrationTest
@Tag(PackagedService.TAG)
class ReplayMemoryFloodIT extends ReplayMemoryFloodTest {
}
