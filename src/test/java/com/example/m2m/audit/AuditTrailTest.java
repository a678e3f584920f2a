package com.example.m2m.audit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.InjectLocalIssuer;
import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.LocalIssuerResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** One audit event per decision that matters, with who, what, when and why, and never the token. */
@QuarkusTest
@WithTestResource(LocalIssuerResource.class)
class AuditTrailTest {

    @InjectLocalIssuer
    LocalIssuer issuer;

    @Inject
    RecordedAuditEvents recorded;

    @Inject
    AuditTrail trail;

    @Test
    void refusedTokensAndScopesAreAuditedWithTheirReason() throws Exception {
        trail.flushRefusals(); // refusals of earlier tests' kinds would be counted, not written
        int before = recorded.size();
        long now = System.currentTimeMillis() / 1000;
        String expired = issuer.sign(issuer.claims("batch-1").claim("scope", "read:messages")
                .issuedAt(now - 900).expiresAt(now - 600));
        String reader = issuer.tokenWithScope("batch-2", "read:messages");

        given().auth().oauth2(expired).when().get("/api/messages/protected").then().statusCode(401);
        given().auth().oauth2(reader).when().get("/api/messages/admin").then().statusCode(403);
        given().auth().oauth2(reader).when().get("/api/messages/protected").then().statusCode(200);
        given().when().get("/api/messages/protected").then().statusCode(401); // no token: not a decision on a token
        given().header("Authorization", "Bearer a b").when().get("/api/whoami").then().statusCode(400);

        List<AuditEvent> events = recorded.since(before);
        assertEquals(3, events.size(), events.toString());

        AuditEvent refusedToken = events.get(0);
        assertEquals(AuditEvent.TOKEN_REFUSED, refusedToken.decision());
        assertEquals("expired", refusedToken.reason());
        assertEquals(AuditEvent.UNKNOWN_CLIENT, refusedToken.clientId(), "an unverified token names no client");
        assertEquals("/api/messages/protected", refusedToken.path());
        assertEquals("GET", refusedToken.method());
        assertEquals("127.0.0.1", refusedToken.source());
        assertEquals(1, refusedToken.count());
        assertTrue(Duration.between(refusedToken.time(), Instant.now()).toSeconds() < 60);

        AuditEvent refusedScope = events.get(1);
        assertEquals(AuditEvent.SCOPE_REFUSED, refusedScope.decision());
        assertEquals("batch-2", refusedScope.clientId());
        assertEquals("/api/messages/admin", refusedScope.path());

        AuditEvent badRequest = events.get(2);
        assertEquals(AuditEvent.TOKEN_REFUSED, badRequest.decision());
        assertEquals("invalid_request", badRequest.reason());

        for (AuditEvent event : events) {
            assertFalse(event.toString().contains(expired) || event.toString().contains(reader), event.toString());
        }
        // The same events are in the log category "audit".
        String log = Files.readString(Path.of("target", "test-logs", "quarkus.log"), StandardCharsets.UTF_8);
        assertTrue(log.contains("decision=scope_refused reason=insufficient_scope client_id=batch-2 source=127.0.0.1"),
                "audit log line");
        assertFalse(log.contains(expired));
    }

    @Test
    void aFloodOfLikeRefusalsIsOneLineNowAndOneLineWithItsCountWhenTheIntervalEnds() {
        trail.flushRefusals();
        int before = recorded.size();
        long now = System.currentTimeMillis() / 1000;
        String expired = issuer.sign(issuer.claims("flooder").claim("scope", "read:messages")
                .issuedAt(now - 900).expiresAt(now - 600));
        String reader = issuer.tokenWithScope("looper", "read:messages");
        for (int i = 0; i < 25; i++) {
            given().auth().oauth2(expired).when().get("/api/messages/protected").then().statusCode(401);
            given().auth().oauth2(reader).when().get("/api/messages/admin").then().statusCode(403);
        }

        List<AuditEvent> duringInterval = recorded.since(before);
        assertEquals(2, duringInterval.size(), "one line per kind at once: " + duringInterval);
        assertTrue(duringInterval.stream().allMatch(event -> event.count() == 1), duringInterval.toString());

        trail.flushRefusals();
        List<AuditEvent> counted = recorded.since(before + 2);
        assertEquals(2, counted.size(), counted.toString());
        for (AuditEvent event : counted) {
            assertEquals(24, event.count(), "the 24 that followed the first: " + event);
        }
        assertEquals(List.of(AuditEvent.SCOPE_REFUSED, AuditEvent.TOKEN_REFUSED),
                counted.stream().map(AuditEvent::decision).sorted().toList());

        trail.flushRefusals();
        assertEquals(before + 4, recorded.size(), "a quiet interval writes nothing");
    }
}
