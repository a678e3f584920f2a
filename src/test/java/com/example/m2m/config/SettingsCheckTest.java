package com.example.m2m.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** What {@code Main} reports before Quarkus starts: one line per bad value, and a caller without an issuer. */
class SettingsCheckTest {

    @Test
    void goodOrAbsentValuesAreNoProblem() {
        assertEquals(List.of(), SettingsCheck.problems(Map.<String, String> of()::get, false, false));
        assertEquals(List.of(), SettingsCheck.problems(Map.of("ISSUER", " https://kc.example/r ", "AUDIENCE_CHECK",
                "FALSE", "TOKEN_CACHE_SIZE", "")::get, false, false));
    }

    @Test
    void eachBadValueIsOneLine() {
        List<String> problems = SettingsCheck.problems(Map.of("ISSUER", "https://kc.example/r",
                "REQUIRE_RFC9068", "yes", "TOKEN_CACHE_SIZE", "many")::get, false, false);
        assertEquals(List.of("REQUIRE_RFC9068 must be `true` or `false` (got 'yes')",
                "TOKEN_CACHE_SIZE must be a whole number, 0 or more (got 'many')"), problems);
    }

    @Test
    void theCallerNeedsIssuerOrDiscover() {
        assertEquals(List.of(IssuerSettingCheck.CALLER_NOT_SET),
                SettingsCheck.problems(Map.<String, String> of()::get, true, false));
        assertEquals(List.of(), SettingsCheck.problems(Map.<String, String> of()::get, true, true));
        assertEquals(List.of(), SettingsCheck.problems(Map.of("ISSUER", "https://kc.example/r")::get, true, false));
    }

    @Test
    void aSecretAndAKeyFileForOneClientIsOneLineNamingBoth() {
        assertEquals(List.of("REGISTRAR_CLIENT_SECRET and REGISTRAR_CLIENT_KEY_FILE are both set: a client "
                + "authenticates with one of them"), SettingsCheck.problems(Map.of("REGISTRAR_CLIENT_SECRET", "s",
                        "REGISTRAR_CLIENT_KEY_FILE", "src/test/keycloak/registrar-key.jwk.json")::get, false, false));
        assertEquals(List.of(), SettingsCheck.problems(Map.of("REGISTRAR_CLIENT_SECRET", " ",
                "REGISTRAR_CLIENT_KEY_FILE", "src/test/keycloak/registrar-key.jwk.json")::get, false, false));
    }
}
