package com.example.m2m.security.dpop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class KeyBindingTest {

    private static final String KEY = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";
    private static final String OTHER = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

    @Test
    void anUnboundTokenAsBearerPasses() {
        assertNull(KeyBinding.check(false, null, null, false));
    }

    @Test
    void aBoundTokenAsBearerIsRefusedWithABearerChallenge() {
        assertEquals(ProofViolation.BOUND_TOKEN_AS_BEARER, KeyBinding.check(false, KEY, null, false));
        assertEquals("invalid_token", ProofViolation.BOUND_TOKEN_AS_BEARER.failure().error());
    }

    @Test
    void aBoundTokenWithAProofByItsKeyPasses() {
        assertNull(KeyBinding.check(true, KEY, KEY, false));
        assertNull(KeyBinding.check(true, KEY, KEY, true));
    }

    @Test
    void aProofByAnotherKeyIsAnInvalidProof() {
        assertEquals(ProofViolation.WRONG_KEY, KeyBinding.check(true, KEY, OTHER, false));
        assertEquals("invalid_dpop_proof", ProofViolation.WRONG_KEY.failure().error());
    }

    @Test
    void anUnboundTokenAsDpopIsAnInvalidTokenWithADpopChallenge() {
        assertEquals(ProofViolation.UNBOUND_TOKEN_AS_DPOP, KeyBinding.check(true, null, KEY, false));
        assertEquals("invalid_token", ProofViolation.UNBOUND_TOKEN_AS_DPOP.failure().error());
        assertEquals(com.example.m2m.security.TokenFailure.Challenge.DPOP,
                ProofViolation.UNBOUND_TOKEN_AS_DPOP.failure().challenge());
    }

    @Test
    void aCnfThatCouldNotBeReadMatchesNoProof() {
        assertEquals(ProofViolation.WRONG_KEY, KeyBinding.check(true, "", KEY, false));
        assertEquals(ProofViolation.BOUND_TOKEN_AS_BEARER, KeyBinding.check(false, "", null, false));
    }

    @Test
    void requiredDpopRefusesEveryBearerToken() {
        assertEquals(ProofViolation.DPOP_REQUIRED, KeyBinding.check(false, null, null, true));
    }

    @Test
    void aTokenBoundToACertificateOnlyIsBoundToNoKey() {
        // RFC 8705: security.mtls.CertificateBinding holds it to its certificate; here it is a plain Bearer token
        assertNull(KeyBinding.boundKeyOf(java.util.Map.of("x5t#S256", KEY)));
        // a malformed one too: CertificateBinding binds it to "", which no certificate matches
        assertNull(KeyBinding.boundKeyOf(java.util.Map.of("x5t#S256", "short")));
        assertEquals(KEY, KeyBinding.boundKeyOf(java.util.Map.of("jkt", KEY, "x5t#S256", OTHER)));
    }
}
