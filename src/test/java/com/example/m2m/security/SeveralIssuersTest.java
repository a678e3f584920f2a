package com.example.m2m.security;

import static com.example.m2m.testsupport.Management.management;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.example.m2m.api.Endpoints;
import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.Management;
import com.example.m2m.testsupport.SeveralIssuersResource;
import com.example.m2m.testsupport.SeveralIssuersResource.Issuers;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@code ISSUER=<first>,<second>}: each issuer's tokens are accepted and verified with its own keys only; a token
 * naming one issuer and signed by the other's key is refused; an issuer not listed is never contacted; one issuer gone
 * leaves the other's callers served. (The same against two Keycloak realms: {@code SeveralRealmsIT}.)
 */
@QuarkusTest
@WithTestResource(SeveralIssuersResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeveralIssuersTest {

    private static final String CHECK = "checks.find { it.name == 'oidc-issuer' }.data";

    Issuers issuers;

    @Test
    @Order(1)
    void eachIssuersTokensAreAcceptedAndWhoamiNamesTheIssuer() {
        double verifiedBefore = verifications("valid");
        for (LocalIssuer issuer : List.of(issuers.first(), issuers.second())) {
            String token = issuer.tokenWithScope("several-client", Endpoints.READ_SCOPE);
            for (int call = 0; call < 2; call++) {
                given().auth().oauth2(token).when().get(Endpoints.WHOAMI).then().statusCode(200)
                        .body("issuer", equalTo(issuer.url()))
                        .body("clientId", equalTo("several-client"));
            }
            given().auth().oauth2(token).when().get(Endpoints.PROTECTED).then().statusCode(200);
        }
        // Each token verified once (the verified-token cache holds both issuers' tokens), three requests each.
        assertEquals(verifiedBefore + 2, verifications("valid"));
        // Each issuer's requests under its own label (the listed URL).
        var metrics = Management.metrics();
        for (LocalIssuer issuer : List.of(issuers.first(), issuers.second())) {
            String key = "api_requests_total{client=\"several-client\",endpoint=\"" + Endpoints.WHOAMI + "\",issuer=\""
                    + issuer.url() + "\",outcome=\"allowed\",reason=\"none\"}";
            assertEquals(2.0, metrics.get(key), key + " in " + metrics.keySet());
        }
    }

    private static double verifications(String outcome) {
        return Management.metrics().getOrDefault(
                "api_token_verification_seconds_count{outcome=\"" + outcome + "\"}", 0.0);
    }

    @Test
    @Order(2)
    void aTokenNamingOneIssuerSignedWithTheOthersKeyIsRefused() {
        // Both local issuers publish their key under the same kid ("key-1"): only the issuer's own key set decides.
        assertEquals(issuers.first().currentKey().kid(), issuers.second().currentKey().kid());
        String namesSecondSignedByFirst = LocalIssuer.sign(issuers.second().claims("forger")
                .claim("scope", Endpoints.READ_SCOPE), issuers.first().currentKey());
        String namesFirstSignedBySecond = LocalIssuer.sign(issuers.first().claims("forger")
                .claim("scope", Endpoints.READ_SCOPE), issuers.second().currentKey());
        for (String forged : List.of(namesSecondSignedByFirst, namesFirstSignedBySecond)) {
            given().auth().oauth2(forged).when().get(Endpoints.PROTECTED).then().statusCode(401)
                    .header("WWW-Authenticate", containsString("error=\"invalid_token\""));
        }
    }

    @Test
    @Order(3)
    void anUnlistedIssuerIsNeverContacted() {
        LocalIssuer unlisted = issuers.unlisted();
        // Its own token, and one naming it but signed by a trusted issuer's key.
        String own = unlisted.tokenWithScope("outsider", Endpoints.READ_SCOPE);
        String namesItSignedByFirst = LocalIssuer.sign(unlisted.claims("outsider")
                .claim("scope", Endpoints.READ_SCOPE), issuers.first().currentKey());
        given().auth().oauth2(own).when().get(Endpoints.PROTECTED).then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""));
        given().auth().oauth2(namesItSignedByFirst).when().get(Endpoints.PROTECTED).then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""))
                .header("WWW-Authenticate", containsString("issuer"));
        assertEquals(0, unlisted.discoveryFetches());
        assertEquals(0, unlisted.jwksFetches());
    }

    @Test
    @Order(4)
    void theMetadataAndReadinessNameEveryIssuer() {
        given().when().get("/.well-known/oauth-protected-resource").then().statusCode(200)
                .body("authorization_servers", equalTo(List.of(issuers.first().url(), issuers.second().url())));
        management().when().get("/q/health/ready").then().statusCode(200)
                .body(CHECK + ".canVerifyTokens", equalTo(true))
                .body(CHECK + ".issuers", equalTo(2))
                .body(CHECK + "['issuer.1']", equalTo(issuers.first().url()))
                .body(CHECK + "['issuer.2']", equalTo(issuers.second().url()))
                .body(CHECK + "['issuer.2.canVerifyTokens']", equalTo(true))
                .body(CHECK + "['issuer.2.issuerReachable']", equalTo(true));
        String openapi = given().when().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        assertTrue(openapi.contains("\"tokenUrl\" : \"" + issuers.first().url() + "/token\""), openapi);
        assertTrue(openapi.contains("\"tokenUrl\" : \"" + issuers.second().url() + "/token\""), openapi);
    }

    @Test
    @Order(5)
    void oneIssuerGoneLeavesTheOthersCallersServed() {
        String fromFirst = issuers.first().tokenWithScope("first-client", Endpoints.READ_SCOPE);
        String fromSecond = issuers.second().tokenWithScope("second-client", Endpoints.READ_SCOPE);
        issuers.second().close();
        given().auth().oauth2(fromFirst).when().get(Endpoints.PROTECTED).then().statusCode(200);
        // The second issuer's keys are held: its new tokens are still verified while it is away.
        given().auth().oauth2(fromSecond).when().get(Endpoints.PROTECTED).then().statusCode(200);
        management().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body(CHECK + "['issuer.1.issuerReachable']", equalTo(true))
                .body(CHECK + "['issuer.2.issuerReachable']", equalTo(false))
                .body(CHECK + "['issuer.2.issuerAnswer']", equalTo("connection refused"))
                .body(CHECK + "['issuer.2.canVerifyTokens']", equalTo(true));
    }
}
