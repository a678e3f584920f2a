package com.example.m2m.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.ConfigurationException;

class IssuerSettingCheckTest {

    @Test
    void refusesTheUnsetMarkerNamingIssuer() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> IssuerSettingCheck.check(IssuerSettingCheck.UNSET));
        assertTrue(e.getMessage().startsWith("ISSUER is not set"), e.getMessage());
    }

    @Test
    void refusesWhatIsNotAnHttpUrlNamingIssuer() {
        for (String bad : new String[] { "notaurl", "ftp://host/x", "http://", "realms/m2m", "https:// bad host" }) {
            ConfigurationException e = assertThrows(ConfigurationException.class, () -> IssuerSettingCheck.check(bad),
                    bad);
            assertTrue(e.getMessage().startsWith("ISSUER is not an http(s) URL"), e.getMessage());
        }
    }

    @Test
    void acceptsIssuerUrls() {
        for (String good : new String[] { "https://dev-123456.okta.com/oauth2/default",
                "http://127.0.0.1:18180/realms/m2m", "https://login.microsoftonline.com/tenant/v2.0" }) {
            assertDoesNotThrow(() -> IssuerSettingCheck.check(good), good);
        }
    }

    /**
     * The OIDC clients take the first URL of an ISSUER list, however their properties read it: left a list, Quarkus
     * disabled the registrar's client silently and registrations went out without a token. REGISTRAR_ISSUER wins.
     */
    @Test
    void theOidcClientsTakeTheFirstIssuerOfAList() {
        io.smallrye.config.SmallRyeConfig config = new io.smallrye.config.SmallRyeConfigBuilder().addDefaultInterceptors()
                .withInterceptors(new IssuerSettingCheck())
                .withSources(new io.smallrye.config.PropertiesConfigSource(java.util.Map.of(
                        "ISSUER", "https://org.example/oauth2/default,https://kc.example/realms/m2m",
                        "quarkus.oidc.auth-server-url", "${ISSUER}",
                        "quarkus.oidc-client.auth-server-url", "${quarkus.oidc.auth-server-url:}",
                        "quarkus.oidc-client.registrar.auth-server-url",
                        "${REGISTRAR_ISSUER:${quarkus.oidc.auth-server-url:}}"), "test", 100))
                .build();
        for (String property : new String[] { "quarkus.oidc.auth-server-url", "quarkus.oidc-client.auth-server-url",
                "quarkus.oidc-client.registrar.auth-server-url" }) {
            org.junit.jupiter.api.Assertions.assertEquals("https://org.example/oauth2/default",
                    config.getValue(property, String.class), property);
        }
        io.smallrye.config.SmallRyeConfig registrarOwn = new io.smallrye.config.SmallRyeConfigBuilder().addDefaultInterceptors()
                .withInterceptors(new IssuerSettingCheck())
                .withSources(new io.smallrye.config.PropertiesConfigSource(java.util.Map.of(
                        "ISSUER", "https://org.example/oauth2/default,https://kc.example/realms/m2m",
                        "REGISTRAR_ISSUER", "https://org.example",
                        "quarkus.oidc.auth-server-url", "${ISSUER}",
                        "quarkus.oidc-client.registrar.auth-server-url",
                        "${REGISTRAR_ISSUER:${quarkus.oidc.auth-server-url:}}"), "test", 100))
                .build();
        org.junit.jupiter.api.Assertions.assertEquals("https://org.example",
                registrarOwn.getValue("quarkus.oidc-client.registrar.auth-server-url", String.class));
    }
}
