package com.example.m2m.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The TLS settings as the TLS registry's properties: each only when its setting is set, since a named TLS
 * configuration without its files stops Quarkus.
 */
class TlsSettingsTest {

    @Test
    void nothingSetIsNoTlsAtAll() {
        assertEquals(Map.of(), TlsSettings.properties(Map.<String, String> of()::get));
    }

    @Test
    void theApisCertificateIsANamedConfigurationOnlyTheHttpServerTakes() {
        assertEquals(Map.of("quarkus.tls.api.key-store.pem.api.cert", "c.pem", "quarkus.tls.api.key-store.pem.api.key",
                "k.pem", "quarkus.tls.api.trust-store.pem.certs", "ca.pem", "quarkus.http.tls-configuration-name", "api",
                "api.mtls.enabled", "true"),
                TlsSettings.properties(Map.of("TLS_CERT_FILE", "c.pem", "TLS_KEY_FILE", "k.pem", "TLS_CLIENT_CA_FILE",
                        "ca.pem")::get));
        // half a pair is no TLS (SettingsCheck stops start-up with one line first)
        assertEquals(Map.of(), TlsSettings.properties(Map.of("TLS_CERT_FILE", "c.pem")::get));
    }

    @Test
    void aPrivateCaIsTheIssuersAndTheCallers() {
        assertEquals(Map.of("quarkus.tls.issuer.trust-store.pem.certs", "ca.pem",
                "quarkus.oidc.tls.tls-configuration-name", "issuer",
                "quarkus.oidc-client.registrar.tls.tls-configuration-name", "issuer",
                "quarkus.tls.caller.trust-store.pem.certs", "ca.pem",
                "quarkus.oidc-client.tls.tls-configuration-name", "caller",
                "quarkus.rest-client.messages-api.tls-configuration-name", "caller"),
                TlsSettings.properties(Map.of("TRUSTED_CA_FILE", "ca.pem")::get));
    }

    @Test
    void theCallersCertificateIsItsTokenRequestsAndItsCalls() {
        assertEquals(Map.of("quarkus.tls.caller.key-store.pem.caller.cert", "c.pem",
                "quarkus.tls.caller.key-store.pem.caller.key", "k.pem",
                "quarkus.oidc-client.tls.tls-configuration-name", "caller",
                "quarkus.rest-client.messages-api.tls-configuration-name", "caller"),
                TlsSettings.properties(Map.of("TEST_CLIENT_CERT_FILE", "c.pem", "TEST_CLIENT_CERT_KEY_FILE", "k.pem")::get));
    }

    @Test
    void aForwardedCertificateTurnsTheMetadataOn() {
        assertEquals(Map.of("api.mtls.enabled", "true"), TlsSettings.properties(Map.of("CLIENT_CERT_HEADER",
                "ssl-client-cert", "CLIENT_CERT_PROXIES", "10.0.0.1")::get));
    }
}
