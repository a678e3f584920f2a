package com.example.m2m.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The packaged service (jar, or native executable), started in prod with a missing or broken ISSUER, stops with a line that names ISSUER. */
class StartupWithoutIssuerIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private static String start(String issuer) throws IOException, InterruptedException {
        // The native executable when the build made one (-Dnative), else the jar.
        String nativeImage = System.getProperty("native.image.path");
        ProcessBuilder builder = (nativeImage != null && Files.isExecutable(Path.of(nativeImage))
                ? new ProcessBuilder(Path.of(nativeImage).toAbsolutePath().toString())
                : new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar", JAR.toAbsolutePath().toString()))
                .redirectErrorStream(true);
        builder.environment().remove("ISSUER");
        if (issuer != null) {
            builder.environment().put("ISSUER", issuer);
        }
        // An empty working directory: no .env to pick an ISSUER up from.
        Path emptyDir = Files.createTempDirectory("no-env");
        builder.directory(emptyDir.toFile());
        Process process = builder.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the service did not stop by itself");
        assertNotEquals(0, process.exitValue());
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void missingIssuerStopsStartUpNamingIt() throws Exception {
        String output = start(null);
        List<String> naming = output.lines().filter(l -> l.contains("ISSUER is not set")).toList();
        assertEquals(1, naming.size(), output);
    }

    @Test
    void malformedIssuerStopsStartUpNamingIt() throws Exception {
        String output = start("keycloak/realms/m2m");
        assertTrue(output.contains("ISSUER is not an http(s) URL ('keycloak/realms/m2m')"), output);
    }
}
