package com.example.m2m.security.mtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.TestCertificates;

/** The two forms a proxy forwards a client certificate in, read into its RFC 8705 thumbprint. */
class ForwardedCertificateTest {

    private static String pem() throws Exception {
        return Files.readString(Path.of(TestCertificates.file(TestCertificates.CALLER)), StandardCharsets.US_ASCII);
    }

    private static String thumbprint() {
        return TestCertificates.thumbprint(TestCertificates.CALLER);
    }

    private static String hex() {
        return HexFormat.of().formatHex(Base64.getUrlDecoder().decode(thumbprint()));
    }

    @Test
    void nginxIngressSendsTheUrlEncodedPem() throws Exception {
        assertEquals(thumbprint(), ForwardedCertificate.fromPem(URLEncoder.encode(pem(), StandardCharsets.UTF_8)));
        assertEquals(thumbprint(), ForwardedCertificate.fromPem(pem()));
    }

    @Test
    void envoysXfccCarriesTheCertificateOrItsHash() throws Exception {
        String cert = URLEncoder.encode(pem(), StandardCharsets.UTF_8);
        assertEquals(thumbprint(), ForwardedCertificate.fromXfcc("By=spiffe://cluster.local/ns/api/sa/api;Hash=" + hex()
                + ";Cert=\"" + cert + "\";Subject=\"CN=m2m-mtls-client,O=a\\\"b\";URI="));
        assertEquals(thumbprint(), ForwardedCertificate.fromXfcc("Hash=" + hex()));
    }

    @Test
    void theLastXfccElementIsTheNearestProxys() {
        assertEquals(thumbprint(), ForwardedCertificate.fromXfcc("Hash=" + "00".repeat(32) + ";Subject=\"CN=a,O=b\","
                + "Hash=" + hex()));
    }

    @Test
    void anythingUnreadableIsNoCertificate() {
        assertNull(ForwardedCertificate.fromPem("not a certificate"));
        assertNull(ForwardedCertificate.fromPem("-----BEGIN CERTIFICATE-----%%%-----END CERTIFICATE-----"));
        assertNull(ForwardedCertificate.fromPem(URLEncoder.encode("-----BEGIN CERTIFICATE-----\nAAAA\n"
                + "-----END CERTIFICATE-----", StandardCharsets.UTF_8)));
        assertNull(ForwardedCertificate.fromXfcc("Hash=abc"));
        assertNull(ForwardedCertificate.fromXfcc("Hash=\"unterminated"));
        assertNull(ForwardedCertificate.fromXfcc("Hash"));
        assertNull(ForwardedCertificate.fromXfcc(""));
        assertNull(ForwardedCertificate.fromXfcc("By=x;Subject=\"CN=a\""));
    }
}
