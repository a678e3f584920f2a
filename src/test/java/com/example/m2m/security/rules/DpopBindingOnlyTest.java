package com.example.m2m.security.rules;

import static com.example.m2m.security.rules.Tokens.signed;
import static com.example.m2m.security.rules.Tokens.verdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DpopBindingOnlyTest {

    private final DpopBindingOnly rule = new DpopBindingOnly();

    @Test
    void anUnboundTokenPasses() throws Exception {
        assertNull(verdict(rule, signed("{\"sub\":\"caller\"}")));
    }

    @Test
    void aDpopKeyThumbprintPasses() throws Exception {
        // (whether the request's proof is by that key is checked per request: security.dpop.KeyBinding)
        assertNull(verdict(rule, signed("{\"sub\":\"caller\",\"cnf\":{\"jkt\":\"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I\"}}")));
    }

    @Test
    void membersThatAreNotConfirmationMethodsMayStandBesideTheThumbprint() throws Exception {
        // What Keycloak 26 issues.
        assertNull(verdict(rule, signed("{\"sub\":\"caller\",\"cnf\":{\"jkt\":\"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I\","
                + "\"kc-jkt-type\":\"DPoP\"}}")));
    }

    @Test
    void aCertificateThumbprintPasses() throws Exception {
        // RFC 8705 section 3.1 (whether the request presented that certificate: security.mtls.CertificateBinding)
        assertNull(verdict(rule, signed("{\"sub\":\"caller\",\"cnf\":{\"x5t#S256\":"
                + "\"bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2\"}}")));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"x5t#S256\":\"short\"}", "{\"x5t#S256\":null}", "{\"x5t#S256\":[\"a\"]}",
            "{\"x5t#S256\":\"bwcK0esc3ACC3DB2Y5/lESsXE8o9ltc05O89jdN+dg2\"}",
            "{\"x5t#S256\":\"bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2\",\"jwk\":{\"kty\":\"EC\"}}", "{}", "\"x\"", "null",
            "{\"jkt\":\"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I\",\"x5t#S256\":\"bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2\"}",
            "{\"jkt\":\"short\"}", "{\"jkt\":42}", "{\"jkt\":\"0ZcOCORZNYy+DWpqq30jZyJGHTN0d2HglBV3uiguA4I\"}",
            "{\"jkt\":null}", "{\"jwk\":{\"kty\":\"EC\"}}", "[\"jkt\"]",
            "{\"jkt\":\"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I\",\"jku\":\"https://attacker.example/keys\"}",
            "{\"jkt\":\"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I\",\"kid\":\"k\"}" })
    void aConfirmationThisServiceCannotCheckIsRefused(String cnf) throws Exception {
        assertEquals(RuleViolation.UNCHECKABLE_BINDING,
                verdict(rule, signed("{\"sub\":\"caller\",\"cnf\":" + cnf + "}")));
    }
}
