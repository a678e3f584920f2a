package com.example.m2m.health;

import static com.example.m2m.testsupport.Management.management;
import static org.hamcrest.Matchers.equalTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.example.m2m.audit.AuditEvent;
import com.example.m2m.audit.RecordedAuditEvents;
import com.example.m2m.security.TokenDigest;
import com.example.m2m.security.flood.RefusedTokens;
import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.Management;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;

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
            // A small failure budget: refusals because the issuer cannot be used must not spend it.
            return Map.of("ISSUER", url(), "AUDIENCE", "api://messages", "quarkus.management.port",
                    String.valueOf(Management.TEST_PORT), "TOKEN_FAILURE_BUDGET", "3/1h");
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

    @Inject
    RefusedTokens refusedTokens;

    @Inject
    RecordedAuditEvents audit;

    /**
     * A well-formed token while the issuer cannot be used: the answer says that (not "malformed"), in the challenge,
     * the audit trail and the metrics; it is not remembered as a verdict on the token, nor charged to its source.
     */
    @Test
    void aTokenIsRefusedBecauseTheIssuerCannotBeUsedNotAsMalformed() {
        String token = LocalIssuer.sign(Jwt.issuer(NotAnIssuer.url()).audience("api://messages")
                .claim("scope", "read:messages").expiresIn(300), LocalIssuer.newKeyFast("key-1"));
        int before = audit.size();
        for (int sent = 0; sent < 5; sent++) { // more than the failure budget (3)
            String challenge = given().auth().oauth2(token).when().get("/api/messages/protected").then()
                    .statusCode(401).extract().header("WWW-Authenticate");
            assertTrue(challenge.startsWith("Bearer ") && challenge.contains("error=\"invalid_token\"")
                    && challenge.contains("its issuer cannot be used now"), challenge);
        }
        assertNull(refusedTokens.refusalOf(TokenDigest.of(token)), "not remembered: the token was not judged");
        List<AuditEvent> events = audit.since(before);
        assertTrue(events.stream().anyMatch(event -> "issuer_unavailable".equals(event.reason())), events.toString());
        assertTrue(events.stream().noneMatch(event -> "malformed".equals(event.reason())), events.toString());
        assertTrue(Management.metrics().keySet().stream().anyMatch(sample -> sample.startsWith("api_requests_total{")
                && sample.contains("reason=\"issuer_unavailable\"")), "the metric says why");
    }
}
