package com.example.m2m.health;

import static com.example.m2m.testsupport.Management.management;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.Management;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** An ISSUER where a server answers, but 404 (a wrong path, a missing realm): not ready, and it says what it got. */
@QuarkusTest
@WithTestResource(IssuerAnswers404Test.NotAnIssuer.class)
class IssuerAnswers404Test {

    private static final String CHECK = "checks.find { it.name == 'oidc-issuer' }";

    /** A web server that answers 404 to everything, as a wrong ISSUER path does. */
    public static class NotAnIssuer implements QuarkusTestResourceLifecycleManager {
        static HttpServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/", exchange -> {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
            });
            server.start();
            return Map.of("ISSUER", url(), "AUDIENCE", "api://messages", "quarkus.management.port",
                String.valueOf(Management.TEST_PORT));
        }

        static String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/missing";
        }

        @Override
        public void stop() {
            server.stop(0);
        }
    }

    @Test
    void readinessSaysWhatTheIssuerAnswered() throws Exception {
        management().when().get("/q/health/ready").then()
                .statusCode(503)
                .body(CHECK + ".data.issuerReachable", equalTo(false))
                .body(CHECK + ".data.issuerAnswer", equalTo("HTTP 404"))
                .body(CHECK + ".data.issuer", equalTo(NotAnIssuer.url()));
        String log = Files.readString(Path.of("target", "test-logs", "quarkus.log"), StandardCharsets.UTF_8);
        assertTrue(log.contains("The issuer " + NotAnIssuer.url() + " cannot be used: HTTP 404 at "
                + NotAnIssuer.url() + "/.well-known/openid-configuration (is ISSUER the issuer's URL?)"), log);
    }
}
