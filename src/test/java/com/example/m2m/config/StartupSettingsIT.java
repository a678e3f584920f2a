package com.example.m2m.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.PackagedService;
import com.example.m2m.testsupport.RunningService;

/**
 * The packaged service (jar, or native executable), started in prod with settings as operators get them wrong: a
 * missing or broken ISSUER, no AUDIENCE, empty or padded values, values of the wrong kind. A bad one stops start-up
 * with one line that names the setting and no stack trace; an empty one is unset; padding is dropped.
 * AUDIENCE_CHECK=false is the explicit way to run without an audience, and the start-up summary says so.
 */
@Tag(PackagedService.TAG)
class StartupSettingsIT {

    private static final String SOME_ISSUER = "http://127.0.0.1:9/realms/m2m"; // nothing listens there

    /** Starts the service, expecting it to stop by itself with an error; its whole output. */
    private static String startExpectingFailure(Map<String, String> env) throws IOException, InterruptedException {
        Process process = RunningService.launch(env);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the service did not stop by itself");
        assertNotEquals(0, process.exitValue());
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** The whole output is one line, and it names the setting. */
    private static void assertOneLineNaming(String text, String output) {
        assertEquals(1, output.lines().count(), output);
        assertTrue(output.contains(text), output);
    }

    /**
     * The whole output is the one line naming the missing setting, the sentence alone: no stack trace, no exception
     * class before it (it used to read "io.quarkus.runtime.configuration.ConfigurationException: AUDIENCE is not set
     * ..."), no header of Quarkus' above it (it used to be headed "Configuration validation failed:", the sentence
     * indented below: config.RequiredSettings now asks before Quarkus starts).
     */
    private static void assertOneLineNamingMissing(String text, String output) {
        assertOneLineNaming(text, output);
        assertTrue(output.startsWith(text), "the line is the sentence: " + output);
        assertFalse(output.contains("Exception"), "no exception class name: " + output);
    }

    @Test
    void missingIssuerStopsStartUpNamingIt() throws Exception {
        assertOneLineNamingMissing("ISSUER is not set", startExpectingFailure(Map.of("AUDIENCE", "api://messages")));
        // Empty or blank is unset, not a Quarkus property's problem (it used to name quarkus.oidc-client.auth-server-url).
        assertOneLineNamingMissing("ISSUER is not set", startExpectingFailure(Map.of("ISSUER", " ", "AUDIENCE",
                "api://messages")));
    }

    @Test
    void malformedIssuerStopsStartUpNamingIt() throws Exception {
        String output = startExpectingFailure(Map.of("ISSUER", "keycloak/realms/m2m", "AUDIENCE", "api://messages"));
        assertOneLineNaming("ISSUER must be http(s) URLs, comma-separated (got 'keycloak/realms/m2m')", output);
        // A list: each must be a URL, none twice.
        assertOneLineNaming("ISSUER must be http(s) URLs, comma-separated (got '" + SOME_ISSUER + ",realms/m2m')",
                startExpectingFailure(Map.of("ISSUER", SOME_ISSUER + ",realms/m2m", "AUDIENCE", "api://messages")));
        assertOneLineNaming("ISSUER lists " + SOME_ISSUER + "/ twice", startExpectingFailure(
                Map.of("ISSUER", SOME_ISSUER + "," + SOME_ISSUER + "/", "AUDIENCE", "api://messages")));
    }

    @Test
    void missingAudienceStopsStartUpNamingIt() throws Exception {
        String output = startExpectingFailure(Map.of("ISSUER", SOME_ISSUER));
        assertOneLineNamingMissing("AUDIENCE is not set", output);
        assertTrue(output.contains("AUDIENCE_CHECK=false"), "says how to run without one: " + output);
    }

    private static int status(int port, String path) throws IOException, InterruptedException {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + path)).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /**
     * Without an audience any token of the issuer would do: AUDIENCE_CHECK=false stops start-up unless ALLOWED_CLIENTS
     * says which clients may call (or `any`, on purpose). Registration on, with no registrar credentials, also stops it.
     */
    @Test
    void settingsThatCannotWorkTogetherStopStartUpNamingThem() throws Exception {
        assertOneLineNaming("AUDIENCE_CHECK=false needs ALLOWED_CLIENTS", startExpectingFailure(
                Map.of("ISSUER", SOME_ISSUER, "AUDIENCE_CHECK", "false")));
        assertOneLineNaming("REGISTRATION_ENABLED=true needs REGISTRAR_CLIENT_ID", startExpectingFailure(
                Map.of("ISSUER", SOME_ISSUER, "AUDIENCE", "api://messages", "REGISTRATION_ENABLED", "true",
                        "REGISTRAR_CLIENT_SECRET", "s")));
        assertOneLineNaming("REGISTRATION_METADATA must be a JSON object", startExpectingFailure(
                Map.of("ISSUER", SOME_ISSUER, "AUDIENCE", "api://messages", "REGISTRATION_METADATA",
                        "{\"scope\":\"admin:messages\"}")));
    }

    @Test
    void audienceCheckFalseStartsWithoutAnAudienceAndSaysSo() throws Exception {
        try (RunningService started = RunningService.start(Map.of("ISSUER", SOME_ISSUER, "AUDIENCE_CHECK", "false",
                "ALLOWED_CLIENTS", "any"))) {
            String summary = started.summary();
            assertTrue(summary != null && summary.contains("audience: not checked"), started.output());
            assertTrue(summary.contains(SOME_ISSUER), summary);
            assertTrue(summary.contains("GET /api/messages/admin admin:messages"), summary);
        }
    }

    @Test
    void emptySettingsAreUnsetAndPaddingIsDropped() throws Exception {
        try (RunningService started = RunningService.start(Map.of("ISSUER", "  " + SOME_ISSUER + " ", "AUDIENCE",
                " api://messages ", "DEFAULT_SCOPE", "", "SWAGGER_UI_ENABLED", "", "TOKEN_CACHE_SIZE", " "))) {
            String summary = started.summary();
            assertTrue(summary != null && summary.contains("issuer " + SOME_ISSUER + ";"), started.output());
            assertTrue(summary.contains("audience: api://messages;"), summary);
            assertTrue(summary.contains("GET / read:messages"), "DEFAULT_SCOPE's default: " + summary);
            assertEquals(404, status(started.port(), "/q/swagger-ui/"), "an empty SWAGGER_UI_ENABLED is off");
            assertFalse(started.output().contains("deprecated"), started.output());
        }
    }

    @Test
    void aBadValueStopsStartUpNamingTheSetting() throws Exception {
        Map<String, String> valid = Map.of("ISSUER", SOME_ISSUER, "AUDIENCE", "api://messages");
        Map<String, String> bad = Map.ofEntries(Map.entry("DEFAULT_SCOPE", "read messages"),
                Map.entry("TOKEN_CACHE_SIZE", "lots"), Map.entry("REQUIRE_RFC9068", "yes"),
                Map.entry("SWAGGER_UI_ENABLED", "on"), Map.entry("REGISTRATION_ALLOWED_SCOPES", "a b"),
                Map.entry("RATE_LIMIT", "lots"), Map.entry("RATE_LIMIT_CLIENTS", "batch:100/1s"),
                Map.entry("TOKEN_FAILURE_BUDGET", "10 a minute"), Map.entry("REDIS_URL", "http://:hunter2@redis:6379"),
                Map.entry("INTROSPECTION_CACHE_SECONDS", "0"), Map.entry("REVOCATION_CHECK", "maybe"));
        for (Map.Entry<String, String> setting : bad.entrySet()) {
            Map<String, String> env = new java.util.HashMap<>(valid);
            env.put(setting.getKey(), setting.getValue());
            String output = startExpectingFailure(env);
            assertOneLineNaming(setting.getKey() + " must be ", output);
            assertFalse(output.contains("hunter2"), "a Redis URL may hold a password: never shown: " + output);
        }
    }

    @Test
    void aBadTlsSettingStopsStartUpNamingIt() throws Exception {
        Map<String, String> valid = Map.of("ISSUER", SOME_ISSUER, "AUDIENCE", "api://messages");
        String cert = com.example.m2m.testsupport.TestCertificates.file("server");
        String key = com.example.m2m.testsupport.TestCertificates.file("server-key");
        Map<String, Map<String, String>> bad = Map.of(
                "TLS_CERT_FILE must be ", Map.of("TLS_CERT_FILE", "/nonexistent.pem", "TLS_KEY_FILE", key),
                "TLS_KEY_FILE must be ", Map.of("TLS_CERT_FILE", cert, "TLS_KEY_FILE", cert),
                "TLS_CERT_FILE and TLS_KEY_FILE go together", Map.of("TLS_CERT_FILE", cert),
                "CLIENT_CERT_PROXIES must be ", Map.of("CLIENT_CERT_HEADER", "ssl-client-cert", "CLIENT_CERT_PROXIES",
                        "10.0.0.0/40"),
                "CLIENT_CERT_HEADER needs CLIENT_CERT_PROXIES", Map.of("CLIENT_CERT_HEADER", "ssl-client-cert"));
        for (Map.Entry<String, Map<String, String>> setting : bad.entrySet()) {
            Map<String, String> env = new java.util.HashMap<>(valid);
            env.putAll(setting.getValue());
            String output = startExpectingFailure(env);
            assertOneLineNaming(setting.getKey(), output);
            assertFalse(output.contains("PRIVATE KEY"), "no key material: " + output);
        }
    }

    @Test
    void checksAtTheIssuerNeedTheServicesIntrospectionClient() throws Exception {
        for (String setting : new String[] { "REVOCATION_CHECK", "INTROSPECT_JWT" }) {
            assertOneLineNaming(setting + "=true needs INTROSPECTION_CLIENT_ID and INTROSPECTION_CLIENT_SECRET",
                    startExpectingFailure(Map.of("ISSUER", SOME_ISSUER, "AUDIENCE", "api://messages", setting,
                            "true")));
            String output = startExpectingFailure(Map.of("ISSUER", SOME_ISSUER, "AUDIENCE", "api://messages", setting,
                    "true", "INTROSPECTION_CLIENT_ID", "api://messages"));
            assertOneLineNaming(setting + "=true needs INTROSPECTION_CLIENT_SECRET", output);
        }
    }

    /** The checks at the issuer (INTROSPECT_JWT, REVOCATION_CHECK) are in the summary, with their interval. */
    @Test
    void theChecksAtTheIssuerAreInTheSummary() throws Exception {
        Map<String, String> introspection = Map.of("ISSUER", SOME_ISSUER, "AUDIENCE", "api://messages",
                "INTROSPECTION_CLIENT_ID", "api://messages", "INTROSPECTION_CLIENT_SECRET", "hunter2-introspection");
        try (RunningService started = RunningService.start(introspection)) {
            String summary = started.summary();
            assertTrue(summary != null && summary.contains("introspection: opaque tokens only, answers trusted 30 s;"),
                    started.output());
            assertTrue(summary.contains("revocation check: off;"), summary);
        }
        Map<String, String> both = new java.util.HashMap<>(introspection);
        both.putAll(Map.of("INTROSPECT_JWT", "true", "REVOCATION_CHECK", "true", "INTROSPECTION_CACHE_SECONDS", "45"));
        try (RunningService started = RunningService.start(both)) {
            String summary = started.summary();
            assertTrue(summary != null && summary.contains("introspection: every token (INTROSPECT_JWT), answers"
                    + " trusted 45 s;"), started.output());
            assertTrue(summary.contains("revocation check: on (REVOCATION_CHECK), every 45 s per token;"), summary);
            assertFalse(started.output().contains("hunter2"), started.output());
        }
        try (RunningService started = RunningService.start(Map.of("ISSUER", SOME_ISSUER, "AUDIENCE",
                "api://messages"))) {
            assertTrue(started.summary().contains("introspection: off (opaque tokens refused);"), started.summary());
        }
    }

    @Test
    void severalIssuersAreEachNamedAtStartUp() throws Exception {
        String second = "http://127.0.0.1:9/realms/partner";
        try (RunningService started = RunningService.start(Map.of("ISSUER", SOME_ISSUER + ", " + second, "AUDIENCE",
                "api://messages", "INTROSPECTION_CLIENT_ID", "api://messages", "INTROSPECTION_CLIENT_SECRET",
                "hunter2-introspection"))) {
            String summary = started.summary();
            assertTrue(summary != null && summary.contains("issuers " + SOME_ISSUER + ", " + second + ";"), started.output());
            assertFalse(started.output().contains("hunter2"), started.output());
        }
    }
}
