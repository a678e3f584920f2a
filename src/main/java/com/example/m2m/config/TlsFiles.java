package com.example.m2m.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;

/**
 * The PEM files of the TLS settings, checked when the setting is read, so that a bad one stops start-up with one line
 * naming the setting instead of a TLS stack trace at the first connection. Nothing of a file's content is ever quoted.
 */
final class TlsFiles {

    /** Far beyond any certificate chain or key: a file larger than this is not one. */
    private static final long MAX_BYTES = 1024 * 1024;

    private TlsFiles() {
    }

    /** A readable PEM file with at least one X.509 certificate, every one of them parsable. */
    static void certificates(String setting, String path) {
        String pem = text(setting, path, Setting.Kind.CERTIFICATES);
        try {
            if (!pem.contains("-----BEGIN CERTIFICATE-----") || CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .isEmpty()) {
                throw refused(setting, Setting.Kind.CERTIFICATES);
            }
        } catch (CertificateException e) {
            throw refused(setting, Setting.Kind.CERTIFICATES);
        }
    }

    /** A readable PEM file with a private key block (PKCS#8, or RSA / EC in their traditional form). */
    static void privateKey(String setting, String path) {
        String pem = text(setting, path, Setting.Kind.PEM_KEY);
        if (!pem.matches("(?s).*-----BEGIN (RSA |EC )?PRIVATE KEY-----.+-----END (RSA |EC )?PRIVATE KEY-----.*")) {
            throw refused(setting, Setting.Kind.PEM_KEY);
        }
    }

    private static String text(String setting, String path, Setting.Kind kind) {
        try {
            Path file = Path.of(path);
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
                throw refused(setting, kind);
            }
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw e instanceof IllegalArgumentException refusal ? refusal : refused(setting, kind);
        }
    }

    private static IllegalArgumentException refused(String setting, Setting.Kind kind) {
        return new IllegalArgumentException(setting + " must be " + kind.rule);
    }
}
