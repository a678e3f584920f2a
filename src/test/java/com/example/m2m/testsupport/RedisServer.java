package com.example.m2m.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis server for one test (Debian's {@code redis-server}, which the build installs: src/test/redis/redis.sh),
 * on 127.0.0.1 and a free port, with a password, no persistence; the test can stop it and start it again on the same
 * port, as an outage would.
 */
public final class RedisServer implements AutoCloseable {

    public static final String PASSWORD = "redis-test-password-never-logged";

    private final int port;
    private Process process;

    private RedisServer(int port) {
        this.port = port;
    }

    public static RedisServer start() {
        try (ServerSocket free = new ServerSocket(0)) {
            RedisServer server = new RedisServer(free.getLocalPort());
            server.startAgain();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code redis://:password@127.0.0.1:port}, as REDIS_URL. */
    public String url() {
        return "redis://:" + PASSWORD + "@127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Starts the server (again) on its port, and waits until it accepts connections. */
    public void startAgain() {
        try {
            process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--requirepass", PASSWORD, "--save", "", "--appendonly", "no")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException("no redis-server here: the build installs it (src/test/redis/redis.sh)", e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("redis-server stopped at once (port " + port + " taken?)");
                }
                Thread.onSpinWait();
            }
        }
        throw new IllegalStateException("redis-server did not listen on " + port + " within 20 s");
    }

    /** Stops the server, as an outage would (the port then refuses connections). */
    public void stop() {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
