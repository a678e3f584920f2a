package com.example.m2m.security.mtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.json.Json;

import org.junit.jupiter.api.Test;

import com.example.m2m.security.TokenFailure;

/** RFC 8705 section 3: each rule of {@link CertificateBinding}, one test each. */
class CertificateBindingTest {

    private static final String BOUND = "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2"; // RFC 8705 section 3.1's example
    private static final String OTHER = "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0";

    @Test
    void theThumbprintIsTheBase64urlSha256OfTheDerWithoutPadding() {
        // SHA-256("abc") = ba7816bf...15ad (FIPS 180-2 appendix B.1), in base64url without padding
        assertEquals(OTHER, CertificateBinding.thumbprint("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void aBoundTokenWithItsCertificatePasses() {
        assertNull(CertificateBinding.check(BOUND, BOUND, false, false));
        assertNull(CertificateBinding.check(BOUND, BOUND, true, false));
    }

    @Test
    void aBoundTokenWithoutACertificateIsRefused() {
        assertEquals(CertificateBinding.NO_CERTIFICATE, CertificateBinding.check(BOUND, null, false, false));
    }

    @Test
    void aBoundTokenWithAnotherCertificateIsRefused() {
        assertEquals(CertificateBinding.WRONG_CERTIFICATE, CertificateBinding.check(BOUND, OTHER, false, false));
    }

    @Test
    void anUnreadableBindingMatchesNoCertificate() {
        assertEquals(CertificateBinding.WRONG_CERTIFICATE, CertificateBinding.check("", OTHER, false, false));
    }

    @Test
    void anUnboundTokenPassesUnlessBindingIsRequired() {
        assertNull(CertificateBinding.check(null, null, false, false));
        assertNull(CertificateBinding.check(null, OTHER, false, false));
        assertEquals(CertificateBinding.BINDING_REQUIRED, CertificateBinding.check(null, OTHER, true, false));
    }

    @Test
    void aDpopBoundTokenIsSenderConstrainedAlreadyWhenBindingIsRequired() {
        assertNull(CertificateBinding.check(null, null, true, true));
    }

    @Test
    void noRefusalIsRememberedOrCharged() {
        // The same token is valid with the right certificate; a wrong one costs a hash comparison.
        for (TokenFailure failure : new TokenFailure[] { CertificateBinding.NO_CERTIFICATE,
                CertificateBinding.WRONG_CERTIFICATE, CertificateBinding.BINDING_REQUIRED }) {
            assertEquals(401, failure.status());
            assertEquals("invalid_token", failure.error());
            assertFalse(failure.cost().charged());
        }
    }

    @Test
    void theBoundCertificateIsReadFromAJwtClaimOrAnIntrospectionAnswer() {
        assertEquals(BOUND, CertificateBinding.boundCertificateOf(Map.of("x5t#S256", BOUND)));
        assertEquals(BOUND, CertificateBinding.boundCertificateOf(Json.createObjectBuilder().add("x5t#S256", BOUND)
                .build()));
        assertNull(CertificateBinding.boundCertificateOf(Map.of("jkt", BOUND)));
        assertNull(CertificateBinding.boundCertificateOf(null));
    }

    @Test
    void aMalformedThumbprintIsBoundToNothingAnyCertificateHas() {
        assertEquals("", CertificateBinding.boundCertificateOf(Map.of("x5t#S256", "short")));
        assertEquals("", CertificateBinding.boundCertificateOf(Map.of("x5t#S256", 42)));
        assertEquals("", CertificateBinding.boundCertificateOf(Map.of("x5t#S256", BOUND.replace('-', '+'))));
        assertEquals("", CertificateBinding.boundCertificateOf(Json.createObjectBuilder().add("x5t#S256", 1).build()));
    }
}
