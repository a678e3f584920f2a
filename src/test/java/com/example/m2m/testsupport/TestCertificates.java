package com.example.m2m.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.example.m2m.security.mtls.CertificateBinding;

/**
 * The test certificates {@code src/test/tls/certs.sh} makes in every build ({@code target/tls}): a CA, the server's
 * (127.0.0.1 and localhost: Keycloak's HTTPS port, the API's, and the provider imitations' mutual-TLS hosts), the
 * caller's ({@code client}, the subject Keycloak's {@code m2m-mtls-client} authenticates) and another client's
 * ({@code other-client}: the thief's).
 */
public final class TestCertificates {

    public static final String CALLER = "client";
    public static final String THIEF = "other-client";

    private TestCertificates() {
    }

    public static Path dir() {
        return Path.of(System.getProperty("tls.dir", "target/tls")).toAbsolutePath();
    }

    /** A PEM file of the set: {@code ca}, {@code server}, {@code client}, {@code other-client}; {@code -key} for keys. */
    public static String file(String name) {
        return dir().resolve(name + ".pem").toString();
    }

    /** The RFC 8705 thumbprint of a certificate of the set. */
    public static String thumbprint(String name) {
        try {
            return CertificateBinding.thumbprint(certificate(name).getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client's TLS context: trusts the test CA; presents {@code client}'s certificate, or none when null. */
    public static SSLContext context(String client) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", certificate("ca"));
            TrustManagerFactory trusts = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trusts.init(trust);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            KeyStore own = KeyStore.getInstance("PKCS12");
            own.load(null, null);
            if (client != null) {
                own.setKeyEntry(client, privateKey(client), new char[0], new Certificate[] { certificate(client) });
            }
            keys.init(own, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trusts.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the test certificates in " + dir() + " (src/test/tls/certs.sh)", e);
        }
    }

    /**
     * A server's TLS context, for the provider imitations' HTTPS listeners: presents {@code server}'s certificate
     * (127.0.0.1) and accepts client certificates that chain to the test CA ({@code client}, {@code other-client}).
     */
    public static SSLContext serverContext() {
        return context("server");
    }

    private static Certificate certificate(String name) throws GeneralSecurityException {
        try (InputStream in = Files.newInputStream(Path.of(file(name)))) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PrivateKey privateKey(String name) throws GeneralSecurityException, IOException {
        String pem = Files.readString(Path.of(file(name + "-key")), StandardCharsets.US_ASCII)
                .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }
}
