package com.example.m2m.quota;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.example.m2m.api.Endpoints;
import com.example.m2m.testsupport.InjectLocalIssuer;
import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.LocalIssuerResource;
import com.example.m2m.testsupport.PackagedService;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/**
 * The packaged service (jar, AOT jar or native executable) with a quota and a small failure budget, as a user sets
 * them: the RateLimit headers and the 429s as they are on the wire, and the audit log's one line per client that hit
 * its quota and per address that spent its budget.
 */
@QuarkusIntegrationTest
@Tag(PackagedService.TAG)
@WithTestResource(LocalIssuerResource.class)
@TestProfile(ThrottlingIT.Throttled.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThrottlingIT {

    public static class Throttled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("RATE_LIMIT", "2/1h", "TOKEN_FAILURE_BUDGET", "3/1h");
        }
    }

    @InjectLocalIssuer
    LocalIssuer issuer;

    private static ExtractableResponse<Response> get(String token) {
        return given().auth().oauth2(token).when().get(Endpoints.PROTECTED).then().extract();
    }

    @Test
    @Order(1)
    void aClientOverItsQuotaGets429WithTheHeadersThatSayWhen() {
        String token = issuer.tokenWithScope("it-quota", "read:messages");
        ExtractableResponse<Response> first = get(token);
        assertEquals(200, first.statusCode());
        assertEquals("\"default\";q=2;w=3600", first.header("RateLimit-Policy"));
        assertTrue(first.header("RateLimit").matches("\"default\";r=1;t=\\d+"), first.header("RateLimit"));
        assertEquals(200, get(token).statusCode());
        for (int i = 0; i < 3; i++) {
            ExtractableResponse<Response> refused = get(token);
            assertEquals(429, refused.statusCode());
            long retryAfter = Long.parseLong(refused.header("Retry-After"));
            assertTrue(retryAfter >= 1 && retryAfter <= 3600, "Retry-After " + retryAfter);
            assertTrue(refused.header("RateLimit").matches("\"default\";r=0;t=" + retryAfter), refused.header("RateLimit"));
            assertEquals("application/problem+json", refused.contentType());
        }
    }

    @Test
    @Order(2)
    void anAddressThatSpentItsFailureBudgetGets429() {
        String honest = issuer.tokenWithScope("it-honest", "read:messages");
        assertEquals(200, get(honest).statusCode());
        int refused = 0;
        ExtractableResponse<Response> answer;
        do {
            answer = get(LocalIssuer.sign(issuer.claims("it-forged-" + refused),
                    LocalIssuer.newKeyFast(issuer.currentKey().kid())));
            refused++;
        } while (answer.statusCode() == 401 && refused < 10);
        assertEquals(429, answer.statusCode());
        assertEquals(4, refused, "three failed checks, then 429");
        assertNull(answer.header("WWW-Authenticate"));
        assertTrue(Long.parseLong(answer.header("Retry-After")) >= 1);
        assertEquals(200, get(honest).statusCode(), "a verified token is still served");
    }

    @Test
    @Order(3)
    void theAuditLogHasOneLinePerClientAndAddressNotPerRefusal() throws Exception {
        List<String> audit = Files.readAllLines(Path.of("target", "test-logs", "quarkus.log"), StandardCharsets.UTF_8)
                .stream().filter(line -> line.contains("[audit]")).toList();
        assertEquals(1, audit.stream().filter(l -> l.contains("decision=quota_exceeded")
                && l.contains("client_id=it-quota") && l.contains("count=1")).count(), String.join("\n", audit));
        assertEquals(1, audit.stream().filter(l -> l.contains("decision=token_refused reason=bad_signature")
                && l.contains("count=1")).count(), String.join("\n", audit));
        assertEquals(1, audit.stream().filter(l -> l.contains("decision=source_throttled")).count(),
                String.join("\n", audit));
    }
}
