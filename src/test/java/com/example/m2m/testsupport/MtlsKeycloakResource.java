package com.example.m2m.testsupport;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link KeycloakResource}'s settings, and the API on HTTPS with client certificates requested (RFC 8705): its
 * certificate and key, the CA of the clients' certificates, by the settings a user gives. The issuer stays Keycloak's
 * HTTP URL (the build's Keycloak names it in every token); {@code TRUSTED_CA_FILE} is for the HTTPS one.
 */
public class MtlsKeycloakResource extends KeycloakResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> settings = new HashMap<>(super.start());
        settings.put("TLS_CERT_FILE", TestCertificates.file("server"));
        settings.put("TLS_KEY_FILE", TestCertificates.file("server-key"));
        settings.put("TLS_CLIENT_CA_FILE", TestCertificates.file("ca"));
        settings.put("TRUSTED_CA_FILE", TestCertificates.file("ca"));
        return settings;
    }
}
