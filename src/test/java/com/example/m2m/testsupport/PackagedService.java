package com.example.m2m.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The artifact the last build packaged, as a person starts it: the native executable ({@code -Dnative}) or the jar
 * ({@code java -jar}, with the AOT cache beside it when {@code -Daot} trained one). Read from the file Quarkus writes
 * for its own {@code @QuarkusIntegrationTest} ({@code target/quarkus-artifact.properties}), so that the tests that
 * start the service or the caller by hand start the same artifact Quarkus' integration tests do.
 */
public final class PackagedService {

    /** The JUnit tag of the integration tests that run against the packaged artifact (the native build runs those). */
    public static final String TAG = "packaged";

    private static final Path TARGET = Path.of("target").toAbsolutePath();

    private PackagedService() {
    }

    /** The command line that starts the packaged artifact with these arguments. */
    public static List<String> command(String... args) {
        Properties artifact = new Properties();
        try (InputStream in = Files.newInputStream(TARGET.resolve("quarkus-artifact.properties"))) {
            artifact.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("no packaged artifact: run ./mvnw package first", e);
        }
        Path path = TARGET.resolve(artifact.getProperty("path"));
        List<String> command = new ArrayList<>();
        if ("native".equals(artifact.getProperty("type"))) {
            command.add(path.toString());
        } else {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            Path aotCache = path.resolveSibling("app.aot");
            if (trainedFor(aotCache, path)) {
                command.add("-XX:AOTCache=" + aotCache);
            }
            command.add("-jar");
            command.add(path.toString());
        }
        command.addAll(List.of(args));
        return command;
    }

    /** An AOT cache this JVM can use: Java 25 or later, and written after the jar (not left by an earlier build). */
    private static boolean trainedFor(Path aotCache, Path jar) {
        try {
            return Runtime.version().feature() >= 25 && Files.isRegularFile(aotCache)
                    && Files.getLastModifiedTime(aotCache).compareTo(Files.getLastModifiedTime(jar)) > 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
