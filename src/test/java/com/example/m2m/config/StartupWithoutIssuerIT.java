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

import org.junit.jupiter.api.Test;

/**
 * The packaged service (jar, or native executable), started in prod with a missing or broken ISSUER or without
 * AUDIENCE, stops with one line that names the setting; AUDIENCE_CHECK=false is the explicit way to run without an
 * audience, and the start-up summary says so.
 */
class StartupWithoutIssuerIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final String SOME_ISSUER = "http://127.0.0.1:9/realms/m2m"; // nothing listens there

    private static Process launch(Map<String, String> env) throws IOException {
        // The native executable when the build made one (-Dnative), else the jar.
        String nativeImage = System.getProperty("native.image.path");
        ProcessBuilder builder = (nativeImage != null && Files.isExecutable(Path.of(nativeImage))
                ? new ProcessBuilder(Path.of(nativeImage).toAbsolutePath().toString())
                : new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar", JAR.toAbsolutePath().toString()))
                .redirectErrorStream(true);
        builder.environment().keySet().removeAll(List.of("ISSUER", "AUDIENCE", "AUDIENCE_CHECK"));
        builder.environment().put("QUARKUS_HTTP_PORT", "0");
        builder.environment().putAll(env);
        // An empty working directory: no .env to pick settings up from.
        builder.directory(Files.createTempDirectory("no-env").toFile());
        return builder.start();
    }

    /** Starts the service, expecting it to stop by itself with an error; its whole output. */
    private static String startExpectingFailure(Map<String, String> env) throws IOException, InterruptedException {
        Process process = launch(env);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the service did not stop by itself");
        assertNotEquals(0, process.exitValue());
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void assertOneLineNaming(String text, String output) {
        List<String> naming = output.lines().filter(l -> l.contains(text)).toList();
        assertEquals(1, naming.size(), output);
        assertFalse(output.contains("\tat "), "no stack trace: " + output);
    }

    @Test
    void missingIssuerStopsStartUpNamingIt() throws Exception {
        assertOneLineNaming("ISSUER is not set", startExpectingFailure(Map.of("AUDIENCE", "api://messages")));
    }

    @Test
    void malformedIssuerStopsStartUpNamingIt() throws Exception {
        String output = startExpectingFailure(Map.of("ISSUER", "keycloak/realms/m2m", "AUDIENCE", "api://messages"));
        assertTrue(output.contains("ISSUER is not an http(s) URL ('keycloak/realms/m2m')"), output);
    }

    @Test
    void missingAudienceStopsStartUpNamingIt() throws Exception {
        String output = startExpectingFailure(Map.of("ISSUER", SOME_ISSUER));
        assertOneLineNaming("AUDIENCE is not set", output);
        assertTrue(output.contains("AUDIENCE_CHECK=false"), "says how to run without one: " + output);
    }

    @Test
    void audienceCheckFalseStartsWithoutAnAudienceAndSaysSo() throws Exception {
        Process process = launch(Map.of("ISSUER", SOME_ISSUER, "AUDIENCE_CHECK", "false"));
        try (BufferedReader output = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String summary = null;
            for (String line = output.readLine(); line != null && summary == null; line = output.readLine()) {
                summary = line.contains("Accepting access tokens") ? line : null;
            }
            assertTrue(summary != null && summary.contains("audience: not checked"), String.valueOf(summary));
            assertTrue(summary.contains(SOME_ISSUER), summary);
            assertTrue(summary.contains("GET /api/messages/admin admin:messages"), summary);
        } finally {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
