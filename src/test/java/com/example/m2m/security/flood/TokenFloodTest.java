package com.example.m2m.security.flood;

import static com.example.m2m.testsupport.Management.metrics;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.example.m2m.api.Endpoints;
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
 * A flood of bad tokens, in process: a refused token sent again is answered from memory (no second verification) for
 * the reasons that cannot change and only those, and an address that caused {@code TOKEN_FAILURE_BUDGET} failed
 * checks gets 429 for what would need another, while tokens already verified are still served. Every request here
 * comes from 127.0.0.1, so the tests run in order: the first spends part of the budget the second uses up.
 */
@QuarkusTest
@WithTestResource(LocalIssuerResource.class)
@TestProfile(TokenFloodTest.SmallBudget.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TokenFloodTest {

    static final int BUDGET = 10;

    public static class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("TOKEN_FAILURE_BUDGET", BUDGET + "/1h");
        }
    }

    private static final String VERIFIED = "api_token_verification_seconds_count{outcome=\"invalid\"}";
    private static final String FROM_MEMORY = "api_token_verification_seconds_count{outcome=\"refused_before\"}";
    private static final String THROTTLED = "api_token_verification_seconds_count{outcome=\"throttled\"}";

    @InjectLocalIssuer
    LocalIssuer issuer;

    private static ExtractableResponse<Response> send(String token) {
        return given().auth().oauth2(token).when().get(Endpoints.PROTECTED).then().extract();
    }

    private String forged(String clientId) {
        return LocalIssuer.sign(issuer.claims(clientId).claim("scope", "read:messages"),
                LocalIssuer.newKeyFast(issuer.currentKey().kid()));
    }

    private static double count(String sample) {
        return metrics().getOrDefault(sample, 0.0);
    }

    @Test
    @Order(1)
    void aTokenRefusedForAReasonThatCannotChangeIsAnsweredFromMemory() {
        long now = System.currentTimeMillis() / 1000;
        String forged = forged("memory-forged");
        String expired = issuer.sign(issuer.claims("memory-expired").issuedAt(now - 900).expiresAt(now - 600));
        String notYetValid = issuer.sign(issuer.claims("memory-early").claim("nbf", now + 120));

        double verifiedBefore = count(VERIFIED);
        double rememberedBefore = count(FROM_MEMORY);
        ExtractableResponse<Response> first = send(forged);
        assertEquals(401, first.statusCode());
        for (int i = 0; i < 3; i++) {
            ExtractableResponse<Response> again = send(forged);
            assertEquals(401, again.statusCode());
            assertEquals(first.header("WWW-Authenticate"), again.header("WWW-Authenticate"), "the same answer");
            assertEquals(first.body().asString(), again.body().asString());
        }
        send(expired);
        send(expired);
        assertEquals(verifiedBefore + 2, count(VERIFIED), "one verification per token");
        assertEquals(rememberedBefore + 4, count(FROM_MEMORY));

        assertTrue(send(notYetValid).header("WWW-Authenticate").contains("not valid yet"));
        assertEquals(401, send(notYetValid).statusCode());
        assertEquals(verifiedBefore + 4, count(VERIFIED), "not yet valid can change: verified each time");
    }

    @Test
    @Order(2)
    void anAddressThatSpentItsBudgetGets429ForWhatWouldNeedAnotherCheck() {
        String honest = issuer.tokenWithScope("flood-honest", "read:messages");
        assertEquals(200, send(honest).statusCode(), "verified, and now in the verified-token cache");
        String remembered = forged("flood-remembered");
        assertEquals(401, send(remembered).statusCode());

        // Distinct forged tokens, each a signature check, until the budget (less what test 1 spent) is gone.
        ExtractableResponse<Response> answer = null;
        int sent = 0;
        while (sent <= BUDGET) {
            answer = send(forged("flood-" + sent));
            sent++;
            if (answer.statusCode() != 401) {
                break;
            }
        }
        assertEquals(429, answer.statusCode(), "after " + sent + " distinct forged tokens");
        assertTrue(sent < BUDGET, "test 1 spent part of the budget: " + sent);
        long retryAfter = Long.parseLong(answer.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 3600, "Retry-After " + retryAfter);
        assertNull(answer.header("WWW-Authenticate"), "the token was not looked at");
        assertEquals("application/problem+json", answer.contentType());
        assertEquals(429, answer.jsonPath().getInt("status"));

        double throttledBefore = count(THROTTLED);
        double verifiedBefore = count(VERIFIED);
        assertEquals(429, send(forged("flood-more")).statusCode());
        assertEquals(200, send(honest).statusCode(), "a token already verified costs a lookup: still served");
        assertEquals(401, send(remembered).statusCode(), "a token already refused costs a lookup: still answered");
        assertEquals(429, send(issuer.tokenWithScope("flood-new", "read:messages")).statusCode(),
                "a new token from this address would need a check: 429 too");
        assertEquals(verifiedBefore, count(VERIFIED), "no signature check while throttled");
        assertEquals(throttledBefore + 2, count(THROTTLED));
        assertEquals(3, count("api_requests_total{client=\"none\",endpoint=\"" + Endpoints.PROTECTED
                + "\",outcome=\"throttled\",reason=\"token_failures\"}"), "each 429 counted as throttled");
    }
}
