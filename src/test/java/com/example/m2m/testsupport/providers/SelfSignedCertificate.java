package com.example.m2m.testsupport.providers;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A self-signed X.509 certificate of an imitation's signing key, DER (RFC 5280 section 4.1), for the {@code x5c} and
 * {@code x5t} members of the JWKs of providers that publish them (Entra ID, Auth0). Encoded by hand: the test classpath
 * has no certificate builder (BouncyCastle's is in bcpkix), and {@code sun.security.x509} is closed on modern JDKs. The
 * JDK parses each one back and checks its signature, so that a mistake fails here rather than in a verifier.
 */
final class SelfSignedCertificate {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SelfSignedCertificate() {
    }

    private static final byte[] SHA256_WITH_RSA = der(0x30, der(0x06, new byte[] { 0x2A, (byte) 0x86, 0x48,
            (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x0B }), new byte[] { 0x05, 0x00 });
    private static final byte[] COMMON_NAME = der(0x06, new byte[] { 0x55, 0x04, 0x03 });

    /** A v3 certificate without extensions, subject = issuer = {@code CN=<cn>}, valid for 10 years from yesterday. */
    public static byte[] of(ProviderImitation.SigningKey key, String cn) {
        byte[] name = der(0x30, der(0x31, der(0x30, COMMON_NAME, der(0x0C, cn.getBytes(StandardCharsets.UTF_8)))));
        DateTimeFormatter utc = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
        ZonedDateTime from = ZonedDateTime.now(ZoneOffset.UTC).minusDays(1);
        byte[] validity = der(0x30, der(0x17, from.format(utc).getBytes(StandardCharsets.US_ASCII)),
                der(0x17, from.plusYears(10).format(utc).getBytes(StandardCharsets.US_ASCII)));
        byte[] tbs = der(0x30,
                der(0xA0, der(0x02, new byte[] { 2 })),
                der(0x02, new BigInteger(64, RANDOM).add(BigInteger.ONE).toByteArray()),
                SHA256_WITH_RSA, name, validity, name,
                key.publicKey().getEncoded());
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(key.pair().getPrivate());
            signer.update(tbs);
            byte[] signature = signer.sign();
            byte[] bits = new byte[signature.length + 1];
            System.arraycopy(signature, 0, bits, 1, signature.length);
            byte[] certificate = der(0x30, tbs, SHA256_WITH_RSA, der(0x03, bits));
            // Parsed back, so that a mistake here fails at once rather than in a verifier.
            X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(certificate));
            parsed.verify(key.publicKey());
            return certificate;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] der(int tag, byte[]... contents) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] content : contents) {
            body.writeBytes(content);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = body.size();
        if (length < 0x80) {
            out.write(length);
        } else {
            List<Integer> octets = new ArrayList<>();
            for (int rest = length; rest > 0; rest >>= 8) {
                octets.add(0, rest & 0xFF);
            }
            out.write(0x80 | octets.size());
            octets.forEach(out::write);
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }
}
