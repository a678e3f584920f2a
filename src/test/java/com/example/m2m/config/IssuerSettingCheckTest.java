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
}
