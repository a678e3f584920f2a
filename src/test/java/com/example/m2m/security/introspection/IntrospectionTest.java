package com.example.m2m.security.introspection;

import static com.example.m2m.testsupport.Management.management;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.example.m2m.api.Endpoints;
import com.example.m2m.audit.AuditEvent;
import com.example.m2m.audit.RecordedAuditEvents;
import com.example.m2m.security.TokenFailure;
import com.example.m2m.testsupport.InjectLocalIssuer;
import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.LocalIssuerResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Introspection (RFC 7662) and the revocation check against a local issuer whose answers the test writes: an opaque
 * token is served on its answer, asked about once per interval; an answer for another API or issuer, or an inactive
 * token, is refused and not asked about again; an outage is not a verdict; a verified JWT revoked at the issuer is
 * refused within the interval; a token the answer binds to a key is not taken as Bearer. (Against Keycloak:
 * RevocationIT, LightweightTokensIT.)
 */
@QuarkusTest
@WithTestResource(LocalIssuerResource.class)
@TestProfile(IntrospectionTest.Introspecting.class)
class IntrospectionTest {

    public static class Introspecting implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("INTROSPECTION_CLIENT_ID", "api://messages", "INTROSPECTION_CLIENT_SECRET", "it-secret",
                    "REVOCATION_CHECK", "true", "INTROSPECTION_CACHE_SECONDS", "1");
        }
    }

    private static final String CHECK = "checks.find { it.name == 'oidc-issuer' }";

    @InjectLocalIssuer
    LocalIssuer issuer;

    private String opaque(String answerJson) {
        String token = "opaque-" + UUID.randomUUID();
        issuer.answer(token, answerJson);
        return token;
    }

    private String activeAnswer(String clientId, String aud, String iss, String extra) {
        return "{\"active\":true,\"client_id\":\"" + clientId + "\",\"sub\":\"" + clientId + "\",\"scope\":\""
                + Endpoints.READ_SCOPE + "\",\"aud\":\"" + aud + "\",\"iss\":\"" + iss + "\",\"exp\":"
                + (System.currentTimeMillis() / 1000 + 300) + extra + "}";
    }

    private static String challenge(String token) {
        return given().auth().oauth2(token).when().get(Endpoints.PROTECTED).then().statusCode(401).extract()
                .header("WWW-Authenticate");
    }

    @Test
    void anOpaqueTokenIsServedOnItsAnswerAndAskedAboutOncePerInterval() {
        String token = opaque(activeAnswer("opaque-client", "api://messages", issuer.url(), ""));
        int before = issuer.introspections();
        for (int call = 0; call < 3; call++) {
            given().auth().oauth2(token).when().get(Endpoints.WHOAMI).then().statusCode(200)
                    .body("clientId", equalTo("opaque-client"))
                    .body("issuer", equalTo(issuer.url()))
                    .body("scopes", equalTo(List.of(Endpoints.READ_SCOPE)));
        }
        given().auth().oauth2(token).when().get(Endpoints.ADMIN).then().statusCode(403);
        assertTrue(issuer.introspections() - before <= 2, "answers cached: " + (issuer.introspections() - before));
        // A client id with a colon cannot go in the Basic scheme as Quarkus writes it: the form it is.
        assertEquals("post api://messages", issuer.lastIntrospectionClient());
        // Each call to the issuer is counted, by issuer and status.
        assertTrue(com.example.m2m.testsupport.Management.metrics().getOrDefault(
                "oidc_introspection_responses_total{issuer=\"" + issuer.url() + "\",status=\"200\"}", 0.0) >= 1);
    }

    @Test
    void anAnswerForAnotherApiOrIssuerIsRefusedAndNotAskedForAgain() {
        String otherApi = opaque(activeAnswer("c", "api://other", issuer.url(), ""));
        String otherIssuer = opaque(activeAnswer("c", "api://messages", "https://elsewhere.example", ""));
        int before = issuer.introspections();
        for (int sent = 0; sent < 2; sent++) {
            String audience = challenge(otherApi);
            assertTrue(audience.contains("invalid_token") && audience.contains("audience"), audience);
            String from = challenge(otherIssuer);
            assertTrue(from.contains("invalid_token") && from.contains("issuer"), from);
        }
        assertEquals(2, issuer.introspections() - before, "each refusal remembered");
    }

    @Test
    void anInactiveTokenIsRefusedAndRemembered() {
        String unknown = "opaque-" + UUID.randomUUID();
        int before = issuer.introspections();
        for (int sent = 0; sent < 3; sent++) {
            String challenge = challenge(unknown);
            assertTrue(challenge.contains("invalid_token") && challenge.contains("not active"), challenge);
        }
        assertEquals(1, issuer.introspections() - before);
    }

    @Test
    void anOutageIsNotAVerdict() {
        String token = opaque(activeAnswer("outage-client", "api://messages", issuer.url(), ""));
        issuer.introspectionStatus(503);
        try {
            String challenge = challenge(token);
            assertTrue(challenge.contains("invalid_token") && challenge.contains("cannot be checked now"), challenge);
        } finally {
            issuer.introspectionStatus(200);
        }
        given().auth().oauth2(token).when().get(Endpoints.PROTECTED).then().statusCode(200);
    }

    @Test
    void aTokenTheAnswerBindsToAKeyIsNotTakenAsBearer() {
        String bound = opaque(activeAnswer("bound-client", "api://messages", issuer.url(),
                ",\"cnf\":{\"jkt\":\"0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I\"}"));
        assertTrue(challenge(bound).contains("invalid_token"));
    }

    @Test
    void aVerifiedJwtRevokedAtTheIssuerIsRefusedWithinTheInterval() throws InterruptedException {
        String token = issuer.tokenWithScope("revoked-client", Endpoints.READ_SCOPE);
        given().auth().oauth2(token).when().get(Endpoints.PROTECTED).then().statusCode(200);
        given().auth().oauth2(token).when().get(Endpoints.PROTECTED).then().statusCode(200);
        issuer.revoke(token);
        Duration took = RevocationIT.refusedAfter(token, Endpoints.PROTECTED, Duration.ofSeconds(4));
        assertTrue(took.toMillis() <= 2000, "refused after " + took);
        assertTrue(challenge(token).contains("not active"));
    }

    @Test
    void aRevokedOpaqueTokenIsRefusedWithinTheInterval() throws InterruptedException {
        String token = opaque(activeAnswer("revoked-opaque", "api://messages", issuer.url(), ""));
        given().auth().oauth2(token).when().get(Endpoints.PROTECTED).then().statusCode(200);
        issuer.revoke(token);
        Duration took = RevocationIT.refusedAfter(token, Endpoints.PROTECTED, Duration.ofSeconds(4));
        assertTrue(took.toMillis() <= 2000, "refused after " + took);
    }

    @Test
    void requestsWaitingForOneRevocationCheckEachGetTheirOwnAnswer() throws Exception {
        String token = issuer.tokenWithScope("concurrent-client", Endpoints.READ_SCOPE);
        issuer.delayIntrospection(300);
        int before = issuer.introspections();
        try {
            java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(12);
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                answers.add(callers.submit(() -> given().auth().oauth2(token).when().get(Endpoints.WHOAMI).then()
                        .extract().statusCode()));
            }
            for (java.util.concurrent.Future<Integer> answer : answers) {
                assertEquals(200, answer.get());
            }
            callers.shutdown();
        } finally {
            issuer.delayIntrospection(0);
        }
        assertTrue(issuer.introspections() - before <= 2, "one call for the waiting requests: "
                + (issuer.introspections() - before));
    }

    @Inject
    RecordedAuditEvents audit;

    /** A verified token the issuer says is revoked: the audit names its client and issuer (they were verified). */
    @Test
    void aRevokedTokenIsAuditedWithItsClientAndIssuer() throws InterruptedException {
        String token = issuer.tokenWithScope("audited-revoked-client", Endpoints.READ_SCOPE);
        given().auth().oauth2(token).when().get(Endpoints.PROTECTED).then().statusCode(200);
        issuer.revoke(token);
        int before = audit.size();
        RevocationIT.refusedAfter(token, Endpoints.PROTECTED, Duration.ofSeconds(4));
        List<AuditEvent> refused = audit.since(before).stream()
                .filter(event -> TokenFailure.NOT_ACTIVE.reason().equals(event.reason())).toList();
        assertEquals(1, refused.size(), audit.since(before).toString());
        assertEquals("audited-revoked-client", refused.get(0).clientId());
        assertEquals(issuer.url(), refused.get(0).issuer());
    }

    /**
     * The issuer refuses the service's own credentials (a wrong INTROSPECTION_CLIENT_SECRET): one line says so, naming
     * the settings and not the secret, however many requests need introspection meanwhile (none of Quarkus' ERROR
     * lines per request); readiness says so too, until the issuer accepts them again.
     */
    @Test
    void refusedIntrospectionCredentialsAreSaidOnceAndInReadiness() throws IOException {
        Path log = Path.of("target", "test-logs", "quarkus.log");
        long logged = Files.size(log);
        issuer.introspectionStatus(401);
        try {
            for (int call = 0; call < 3; call++) {
                String challenge = challenge(issuer.tokenWithScope("credentials-client-" + call, Endpoints.READ_SCOPE));
                assertTrue(challenge.contains("cannot be checked now"), challenge);
            }
            String data = CHECK + ".data.introspectionAnswer";
            management().when().get("/q/health/ready").then()
                    .body(data, containsString("HTTP 401"))
                    .body(data, containsString("INTROSPECTION_CLIENT_ID"))
                    .body(data, containsString("INTROSPECTION_CLIENT_SECRET"));
        } finally {
            issuer.introspectionStatus(200);
        }
        given().auth().oauth2(issuer.tokenWithScope("credentials-client-after", Endpoints.READ_SCOPE)).when()
                .get(Endpoints.PROTECTED).then().statusCode(200);
        management().when().get("/q/health/ready").then().body(CHECK + ".data.introspectionAnswer", equalTo("HTTP 200"));
        String lines;
        try (var in = Files.newInputStream(log)) {
            in.skipNBytes(logged);
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(1, lines.lines().filter(line -> line.contains("refused the service's introspection credentials"))
                .count(), lines);
        assertTrue(lines.contains("INTROSPECTION_CLIENT_SECRET"), lines);
        assertEquals(0, lines.lines().filter(line -> line.contains(" ERROR ")).count(), lines);
        assertEquals(1, lines.lines().filter(line -> line.contains("accepts the service's introspection credentials"
                + " again")).count(), lines);
        assertFalse(lines.contains("it-secret"), "never the secret");
    }
}
