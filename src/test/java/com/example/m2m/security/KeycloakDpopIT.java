package com.example.m2m.security;

import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.example.m2m.testsupport.HostileCases;
import com.example.m2m.testsupport.HostileCases.HostileCase;
import com.example.m2m.testsupport.Keycloak;
import com.example.m2m.testsupport.KeycloakResource;
import com.example.m2m.testsupport.PackagedService;
import com.example.m2m.testsupport.TokenForge;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The DPoP part of the shared hostile list against the packaged service with tokens Keycloak bound to the forge's keys
 * (the DPoP-required client): replayed proofs, wrong {@code htm}/{@code htu}/{@code ath}, another key, stale or future
 * {@code iat}, missing claims, wrong {@code typ}, private or symmetric keys, {@code none}, two proof headers, each
 * refused with its DPoP challenge; the valid controls answered. ({@code HostileRequestsIT} runs the whole list with
 * the local issuer's tokens; bound tokens as Bearer and unbound ones as DPoP from Keycloak: {@code KeycloakEndToEndIT}.)
 */
@QuarkusIntegrationTest
@Tag(PackagedService.TAG)
@WithTestResource(KeycloakResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeycloakDpopIT {

    private final TokenForge forge = TokenForge.boundBy(key -> Keycloak.dpopBoundToken(Keycloak.DPOP_CLIENT_ID,
            Keycloak.DPOP_CLIENT_SECRET, "read:messages", key).token());

    static Stream<HostileCase> cases() {
        return HostileCases.dpopOnTheBoundToken().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void dpopRequestGetsItsAnswer(HostileCase hostile) {
        HostileRequestsTest.assertAnswer(hostile, hostile.request().apply(forge).spec().when().get(hostile.path()));
    }
}
