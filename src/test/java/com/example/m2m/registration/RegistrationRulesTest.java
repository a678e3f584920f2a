package com.example.m2m.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class RegistrationRulesTest {

    private final RegistrationRules rules = new RegistrationRules(List.of("read:messages", "write:messages"));

    private static NewClientRequest request(String label, String... scopes) {
        return new NewClientRequest(label, scopes == null ? null : Arrays.asList(scopes));
    }

    private String refusal(Runnable check) {
        return assertThrows(RegistrationRules.Refusal.class, check::run).getMessage();
    }

    @Test
    void acceptsALabelAndAllowedScopes() {
        NewClientRequest ok = request("  billing-batch ", "read:messages", "write:messages", "read:messages");
        assertEquals("billing-batch", rules.label(ok));
        assertEquals(List.of("read:messages", "write:messages"), rules.scopes(ok));
    }

    @Test
    void refusesOddLabels() {
        assertEquals("label is required", refusal(() -> rules.label(request(null, "read:messages"))));
        assertEquals("label is required", refusal(() -> rules.label(request("   ", "read:messages"))));
        assertTrue(refusal(() -> rules.label(request("x".repeat(65), "read:messages"))).contains("longer than 64"));
        assertEquals("label contains control characters", refusal(() -> rules.label(request("a\nb"))));
        assertEquals("label contains control characters", refusal(() -> rules.label(request("a\u200Eb"))));
        assertEquals("x".repeat(64), rules.label(request("x".repeat(64))));
    }

    @Test
    void refusesScopesOffTheAllowListNamingThem() {
        assertTrue(refusal(() -> rules.scopes(request("a"))).startsWith("scopes is required"));
        assertTrue(refusal(() -> rules.scopes(request("a", (String[]) null))).startsWith("scopes is required"));
        String message = refusal(() -> rules.scopes(request("a", "read:messages", "admin:messages")));
        assertTrue(message.startsWith("scope 'admin:messages' may not be registered"), message);
        assertTrue(message.contains("allowed: read:messages, write:messages"), message);
        assertTrue(refusal(() -> rules.scopes(request("a", "evil\u0000'scope"))).contains("'evil??scope'"));
    }
}
