package com.example.m2m.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** What {@code Main} reports before Quarkus starts: one line per problem, the required settings in prod only. */
class SettingsCheckTest {

    private static List<String> problems(Map<String, String> settings, boolean prod, boolean caller,
            boolean discover) {
        return SettingsCheck.problems(settings::get, prod, caller, discover);
    }

    @Test
    void theServiceInProdNeedsIssuerAndAudience() {
        assertEquals(List.of(IssuerSettingCheck.NOT_SET, AudienceSettingCheck.NOT_SET),
                problems(Map.of(), true, false, false));
        assertEquals(List.of(), problems(Map.of("ISSUER", "https://kc.example/realms/m2m", "AUDIENCE", "api://x"),
                true, false, false));
        assertEquals(List.of(), problems(Map.of("ISSUER", "https://kc.example/realms/m2m", "AUDIENCE_CHECK", "FALSE"),
                true, false, false), "AUDIENCE_CHECK=false is the explicit way without an audience");
        assertEquals(List.of(AudienceSettingCheck.NOT_SET), problems(Map.of("ISSUER", "https://kc.example/r",
                "AUDIENCE", "  "), true, false, false), "blank is unset");
    }

    @Test
    void devModeAndTestsNeedNothing() {
        assertEquals(List.of(), problems(Map.of(), false, false, false));
    }

    @Test
    void theCallerNeedsIssuerOrDiscover() {
        assertEquals(List.of(IssuerSettingCheck.CALLER_NOT_SET), problems(Map.of(), true, true, false));
        assertEquals(List.of(), problems(Map.of(), true, true, true));
    }

    @Test
    void eachBadValueIsOneLine() {
        List<String> problems = problems(Map.of("ISSUER", "https://kc.example/r", "AUDIENCE", "a",
                "REQUIRE_RFC9068", "yes", "TOKEN_CACHE_SIZE", "many"), true, false, false);
        assertEquals(2, problems.size(), problems.toString());
        assertEquals("REQUIRE_RFC9068 must be `true` or `false` (got 'yes')", problems.get(0));
        assertEquals("TOKEN_CACHE_SIZE must be a whole number, 0 or more (got 'many')", problems.get(1));
    }
}
