package com.example.m2m.metrics;

import static com.example.m2m.testsupport.Management.metrics;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.InjectLocalIssuer;
import com.example.m2m.testsupport.KeyRefresh;
import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.LocalIssuerResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** The counters in /q/metrics move as a scripted mix of good and bad calls says they must. */
@QuarkusTest
@WithTestResource(LocalIssuerResource.class)
@TestProfile(RequestOutcomesTest.FewClientLabels.class)
class RequestOutcomesTest {

    public static class FewClientLabels implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("api.metrics.max-clients", "5");
        }
    }


    @InjectLocalIssuer
    LocalIssuer issuer;

    private double requests(Map<String, Double> samples, String endpoint, String outcome, String reason,
            String client) {
        String key = "api_requests_total{client=\"" + client + "\",endpoint=\"" + endpoint + "\",issuer=\""
                + issuerLabel(client) + "\",outcome=\"" + outcome + "\",reason=\"" + reason + "\"}";
        return samples.getOrDefault(key, 0.0);
    }

    /** A verified caller's requests carry its issuer; others (no token, a refused one, one issuer listed) "unknown". */
    private String issuerLabel(String client) {
        return client.equals("none") ? "unknown" : issuer.url();
    }

    private static double sum(Map<String, Double> samples, String prefix) {
        return samples.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToDouble(Map.Entry::getValue)
                .sum();
    }

    @Test
    void countersFollowAScriptedMixOfCalls() {
        Map<String, Double> before = metrics();
        String reader = issuer.tokenWithScope("metrics-reader", "read:messages");
        long now = System.currentTimeMillis() / 1000;
        String expired = issuer.sign(issuer.claims("metrics-reader").claim("scope", "read:messages")
                .issuedAt(now - 900).expiresAt(now - 600));

        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(reader).when().get("/api/messages/protected").then().statusCode(200);
        }
        given().auth().oauth2(reader).when().get("/api/messages/admin").then().statusCode(403);
        given().auth().oauth2(expired).when().get("/api/messages/protected").then().statusCode(401);
        given().auth().oauth2("not-a-jwt").when().get("/api/messages/protected").then().statusCode(401);
        given().when().get("/api/messages/protected").then().statusCode(401);
        given().when().get("/api/messages/public").then().statusCode(200);

        Map<String, Double> after = metrics();
        String p = "/api/messages/protected";
        assertEquals(3, requests(after, p, "allowed", "none", "metrics-reader")
                - requests(before, p, "allowed", "none", "metrics-reader"));
        assertEquals(1, requests(after, "/api/messages/admin", "forbidden", "insufficient_scope", "metrics-reader")
                - requests(before, "/api/messages/admin", "forbidden", "insufficient_scope", "metrics-reader"));
        assertEquals(1, requests(after, p, "unauthorized", "expired", "none")
                - requests(before, p, "unauthorized", "expired", "none"));
        assertEquals(1, requests(after, p, "unauthorized", "malformed", "none")
                - requests(before, p, "unauthorized", "malformed", "none"));
        assertEquals(1, requests(after, p, "unauthorized", "no_token", "none")
                - requests(before, p, "unauthorized", "no_token", "none"));
        assertEquals(1, requests(after, "/api/messages/public", "allowed", "none", "none")
                - requests(before, "/api/messages/public", "allowed", "none", "none"));
        // Token checks are timed: 6 requests above carried a token.
        assertEquals(6, sum(after, "api_token_verification_seconds_count") - sum(before,
                "api_token_verification_seconds_count"));
    }

    @Test
    void keyFetchesAreCounted() throws InterruptedException {
        // An unknown kid makes the service fetch the JWKS again, once the refresh interval has passed.
        KeyRefresh.awaitRefreshAllowed();
        Map<String, Double> before = metrics();
        String unknownKid = LocalIssuer.sign(issuer.claims("caller").claim("scope", "read:messages"),
                LocalIssuer.newKeyFast("kid-metrics"));
        given().auth().oauth2(unknownKid).when().get("/api/messages/protected").then().statusCode(401);
        Map<String, Double> after = metrics();
        assertEquals(1, sum(after, "oidc_jwks_requests_total") - sum(before, "oidc_jwks_requests_total"));
        assertEquals(1, sum(after, "oidc_jwks_responses_total{status=\"200\"")
                - sum(before, "oidc_jwks_responses_total{status=\"200\""));
    }

    @Test
    void manyClientsCannotCreateUnboundedSeries() {
        for (int i = 0; i < 40; i++) {
            given().auth().oauth2(issuer.tokenWithScope("flood-" + i, "read:messages"))
                    .when().get("/api/messages/protected").then().statusCode(200);
        }
        for (int i = 0; i < 40; i++) {
            given().auth().oauth2("garbage-" + i).when().get("/api/messages/protected").then().statusCode(401);
            given().when().get("/api/unknown-" + i).then().statusCode(404);
        }
        Map<String, Double> after = metrics();
        long clients = after.keySet().stream().filter(k -> k.startsWith("api_requests_total{"))
                .map(k -> k.replaceAll(".*client=\"([^\"]*)\".*", "$1")).distinct().count();
        long endpoints = after.keySet().stream().filter(k -> k.startsWith("api_requests_total{"))
                .map(k -> k.replaceAll(".*endpoint=\"([^\"]*)\".*", "$1")).distinct().count();
        // 5 verified clients at most, plus "other" and "none".
        assertTrue(clients <= 7, clients + " client labels");
        assertTrue(endpoints <= RequestOutcomes.ENDPOINTS.size() + 1, endpoints + " endpoint labels");
        assertTrue(after.keySet().stream().anyMatch(k -> k.contains("client=\"other\"")), "later clients are other");
    }
}
