package com.example.m2m.quota;

import static com.example.m2m.testsupport.Management.metrics;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.example.m2m.api.Endpoints;
import com.example.m2m.audit.AuditEvent;
import com.example.m2m.audit.AuditTrail;
import com.example.m2m.audit.RecordedAuditEvents;
import com.example.m2m.testsupport.InjectLocalIssuer;
import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.LocalIssuerResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/**
 * Quotas per client on the wire: the RateLimit headers on every answer to a client with a quota, the 429 over it,
 * client and scope quotas, and what the metrics and the audit trail say. Windows of an hour, so that none ends while
 * a test counts (each test has clients of its own: counts last the window).
 */
@QuarkusTest
@WithTestResource(LocalIssuerResource.class)
@TestProfile(QuotaTest.Quotas.class)
class QuotaTest {

    public static class Quotas implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("RATE_LIMIT", "3/1h", "RATE_LIMIT_CLIENTS", "bulk=5/1h,exempt=off",
                    "RATE_LIMIT_SCOPES", "tier:gold=4/1h");
        }
    }

    private static final Pattern CURRENT = Pattern.compile("\"(\\w+)\";r=(\\d+);t=(\\d+)");

    @InjectLocalIssuer
    LocalIssuer issuer;

    @Inject
    RecordedAuditEvents recorded;

    @Inject
    AuditTrail trail;

    private ExtractableResponse<Response> get(String token, String path) {
        return given().auth().oauth2(token).when().get(path).then().extract();
    }

    /** The RateLimit header's remaining count and seconds to reset. */
    private static long[] current(ExtractableResponse<Response> answer) {
        Matcher m = CURRENT.matcher(answer.header("RateLimit"));
        assertTrue(m.matches(), answer.header("RateLimit"));
        return new long[] { Long.parseLong(m.group(2)), Long.parseLong(m.group(3)) };
    }

    @Test
    void everyAnswerToAClientWithAQuotaSaysWhereItStands() {
        String token = issuer.tokenWithScope("q-headers", "read:messages");
        ExtractableResponse<Response> ok = get(token, Endpoints.PROTECTED);
        assertEquals(200, ok.statusCode());
        assertEquals("\"default\";q=3;w=3600", ok.header("RateLimit-Policy"));
        long[] first = current(ok);
        assertEquals(2, first[0]);
        assertTrue(first[1] >= 1 && first[1] <= 3600, "seconds to the window's end: " + first[1]);

        ExtractableResponse<Response> forbidden = get(token, Endpoints.ADMIN);
        assertEquals(403, forbidden.statusCode(), "a refused scope still counts, and says so");
        assertEquals("\"default\";q=3;w=3600", forbidden.header("RateLimit-Policy"));
        assertEquals(1, current(forbidden)[0]);
    }

    @Test
    void overTheQuotaTheAnswerIs429WithRetryAfterAndAProblem() {
        String token = issuer.tokenWithScope("q-over", "read:messages");
        for (int i = 0; i < 3; i++) {
            assertEquals(200, get(token, Endpoints.PROTECTED).statusCode());
        }
        ExtractableResponse<Response> refused = get(token, Endpoints.PROTECTED);
        assertEquals(429, refused.statusCode());
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        long[] now = current(refused);
        assertEquals(0, now[0]);
        assertEquals(now[1], retryAfter, "Retry-After is when the window resets");
        assertTrue(retryAfter >= 1);
        assertEquals("application/problem+json", refused.contentType());
        assertEquals(429, refused.jsonPath().getInt("status"));
        assertEquals("Too Many Requests", refused.jsonPath().getString("title"));
        assertTrue(refused.jsonPath().getString("detail").contains("quota of 3 requests per 3600 s"));
        assertEquals(null, refused.header("WWW-Authenticate"), "the token was fine");

        assertEquals(200, get(issuer.tokenWithScope("q-neighbour", "read:messages"), Endpoints.PROTECTED)
                .statusCode(), "another client has its own quota");
        assertEquals(429, get(issuer.tokenWithScope("q-over", "read:messages"), Endpoints.WHOAMI).statusCode(),
                "a new token of the same client shares its quota");
    }

    @Test
    void aClientsOwnQuotaThenTheMostGenerousScopeThenTheDefault() {
        assertEquals("\"client\";q=5;w=3600",
                get(issuer.tokenWithScope("bulk", "read:messages tier:gold"), Endpoints.PROTECTED)
                        .header("RateLimit-Policy"));
        assertEquals("\"scope\";q=4;w=3600",
                get(issuer.tokenWithScope("q-gold", "read:messages tier:gold"), Endpoints.PROTECTED)
                        .header("RateLimit-Policy"));
        String exempt = issuer.tokenWithScope("exempt", "read:messages");
        for (int i = 0; i < 6; i++) {
            ExtractableResponse<Response> answer = get(exempt, Endpoints.PROTECTED);
            assertEquals(200, answer.statusCode());
            assertEquals(null, answer.header("RateLimit"), "no quota, no headers");
        }
    }

    @Test
    void requestsWithoutAVerifiedCallerAreNotCounted() {
        given().when().get(Endpoints.PROTECTED).then().statusCode(401).header("RateLimit", nullValue());
        given().auth().oauth2("not-a-token").when().get(Endpoints.PROTECTED).then().statusCode(401)
                .header("RateLimit", nullValue());
        given().when().get("/.well-known/oauth-protected-resource").then().statusCode(200)
                .header("RateLimit", nullValue());
    }

    @Test
    void theMetricsCountEach429AndTheAuditTrailSaysOncePerIntervalThatAClientHitItsLimit() {
        trail.flushRefusals();
        int before = recorded.size();
        String key = "api_requests_total{client=\"q-audit\",endpoint=\"" + Endpoints.PROTECTED + "\",issuer=\""
                + issuer.url() + "\",outcome=\"throttled\",reason=\"quota\"}";
        double throttledBefore = metrics().getOrDefault(key, 0.0);
        String token = issuer.tokenWithScope("q-audit", "read:messages");
        for (int i = 0; i < 8; i++) {
            get(token, Endpoints.PROTECTED);
        }
        assertEquals(throttledBefore + 5, metrics().get(key), 0.0);

        List<AuditEvent> events = recorded.since(before);
        assertEquals(1, events.size(), events.toString());
        AuditEvent hit = events.get(0);
        assertEquals(AuditEvent.QUOTA_EXCEEDED, hit.decision());
        assertEquals("q-audit", hit.clientId());
        assertEquals(1, hit.count());

        trail.flushRefusals();
        List<AuditEvent> counted = recorded.since(before + 1);
        assertEquals(1, counted.size(), counted.toString());
        assertEquals(4, counted.get(0).count());
    }

    @Test
    void theProblemIsWellFormedJson() {
        String token = issuer.tokenWithScope("q-json", "read:messages");
        for (int i = 0; i < 3; i++) {
            get(token, Endpoints.PROTECTED);
        }
        given().auth().oauth2(token).when().get(Endpoints.PROTECTED).then().statusCode(429)
                .header("Cache-Control", equalTo("no-store"))
                .header("RateLimit-Policy", startsWith("\"default\""))
                .body("type", equalTo("about:blank"));
    }
}
