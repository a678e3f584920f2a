package com.example.m2m.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.example.m2m.config.Setting;

/**
 * The packaged service ({@link PackagedService}) started by hand with the settings a user would give it, in an empty
 * working directory (no {@code .env}) and with none of this machine's settings: its process, everything it printed
 * (read on, to the end, so that it never blocks on a full pipe), and the HTTP port it listens on.
 */
public final class RunningService implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Listening on: http://[^:]+:(\\d+)");

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private volatile String summary;
    private int port = -1;

    private RunningService(Process process) {
        this.process = process;
    }

    /** Launches the service; see {@link #start} to wait until it listens. */
    public static Process launch(Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(PackagedService.command()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> Setting.named(name).isPresent());
        builder.environment().put("QUARKUS_HTTP_PORT", "0");
        builder.environment().putAll(env);
        builder.directory(Files.createTempDirectory("no-env").toFile());
        return builder.start();
    }

    /** Starts the service and waits until it listens; fails if it stops first. */
    public static RunningService start(Map<String, String> env) {
        try {
            RunningService service = new RunningService(launch(env));
            service.awaitListening();
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitListening() throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            output.append(line).append('\n');
            summary = line.contains("Accepting access tokens") ? line : summary;
            Matcher listening = LISTENING.matcher(line);
            if (listening.find()) {
                port = Integer.parseInt(listening.group(1));
                Thread drain = new Thread(() -> {
                    try {
                        for (String more = lines.readLine(); more != null; more = lines.readLine()) {
                            output.append(more).append('\n');
                        }
                    } catch (IOException ended) {
                        // the process is gone
                    }
                }, "service-output");
                drain.setDaemon(true);
                drain.start();
                return;
            }
        }
        throw new AssertionError("the service stopped: " + output);
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Everything the service printed so far. */
    public String output() {
        return output.toString();
    }

    /** The start-up summary line ("Accepting access tokens from ..."), or null. */
    public String summary() {
        return summary;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
