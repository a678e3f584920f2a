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
 * the reasons that cannot change and only those, and an address that sent {@code TOKEN_FAILURE_BUDGET} refused tokens
 * gets a late 429 for anything but a token already verified, which is still served at once. Every request here comes
 * from 127.0.0.1, so the tests run in order: the first spends part of the budget (8 refusals) the second uses up.
 */
@QuarkusTest
@WithTestResource(LocalIssuerResource.class)
@TestProfile(TokenFloodTest.SmallBudget.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TokenFloodTest {

    static final int BUDGET = 12;
    static final long DELAY_MILLIS = 300;

    public static class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("TOKEN_FAILURE_BUDGET", BUDGET + "/1h", "api.token.throttle-delay", DELAY_MILLIS + "ms");
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
        assertEquals(401, send(remembered).statusCode(), "from memory, and charged too");

        // Distinct forged tokens, each a signature check, until the budget (less what was spent) is gone.
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
        assertEquals(3, sent, "8 refusals in test 1, 2 here, then 2 distinct forged tokens spend the budget of 12");
        long retryAfter = Long.parseLong(answer.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 3600, "Retry-After " + retryAfter);
        assertNull(answer.header("WWW-Authenticate"), "the token was not looked at");
        assertEquals("application/problem+json", answer.contentType());
        assertEquals(429, answer.jsonPath().getInt("status"));

        double throttledBefore = count(THROTTLED);
        double verifiedBefore = count(VERIFIED);
        long asked = System.nanoTime();
        assertEquals(429, send(forged("flood-more")).statusCode());
        assertTrue(System.nanoTime() - asked >= DELAY_MILLIS * 1_000_000, "the 429 comes late");
        asked = System.nanoTime();
        assertEquals(200, send(honest).statusCode(), "a token already verified costs a lookup: still served");
        assertTrue(System.nanoTime() - asked < DELAY_MILLIS * 1_000_000, "and at once");
        assertEquals(429, send(remembered).statusCode(), "a token already refused: 429 now, too");
        assertEquals(429, send(issuer.tokenWithScope("flood-new", "read:messages")).statusCode(),
                "a new token from this address would need a check: 429 too");
        assertEquals(429, given().auth().oauth2(forged("flood-spoofed")).header("X-Forwarded-For", "203.0.113.9")
                .header("Forwarded", "for=203.0.113.9").when().get(Endpoints.PROTECTED).then().extract().statusCode(),
                "no trusted proxy configured: a forwarded-for header does not make another address");
        assertEquals(verifiedBefore, count(VERIFIED), "no signature check while throttled");
        assertEquals(throttledBefore + 4, count(THROTTLED));
        assertEquals(5, count("api_requests_total{client=\"none\",endpoint=\"" + Endpoints.PROTECTED
                + "\",issuer=\"unknown\",outcome=\"throttled\",reason=\"token_failures\"}"),
                "each 429 counted as throttled");
    }
}
