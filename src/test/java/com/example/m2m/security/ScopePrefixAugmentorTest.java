package com.example.m2m.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;

import org.junit.jupiter.api.Test;

class ScopePrefixAugmentorTest {

    @Test
    void scopesOfThisResourceServerCountWithoutThePrefix() {
        assertEquals(Set.of("read:messages", "admin:messages"), ScopePrefixAugmentor.unprefixed(
                Set.of("m2m-api/read:messages", "m2m-api/admin:messages"), "m2m-api/"));
    }

    @Test
    void anotherResourceServersScopesAndUnprefixedScopesGainNothing() {
        assertEquals(Set.of(), ScopePrefixAugmentor.unprefixed(
                Set.of("other-api/read:messages", "read:messages", "openid", "m2m-api/", "m2m-apix/read:messages"),
                "m2m-api/"));
    }
}
