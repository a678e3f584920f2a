package com.example.m2m.security.dpop;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.InjectLocalIssuer;
import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.LocalIssuerResource;
import com.example.m2m.testsupport.TokenForge;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** {@code DPOP_REQUIRED=true}: bearer tokens refused, DPoP offered alone, and the metadata says so. */
@QuarkusTest
@WithTestResource(LocalIssuerResource.class)
@TestProfile(DpopRequiredTest.Required.class)
class DpopRequiredTest {

    public static class Required implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("DPOP_REQUIRED", "true");
        }
    }

    private static final String PATH = "/api/messages/protected";

    @InjectLocalIssuer
    LocalIssuer issuer;

    @Test
    void aValidBearerTokenIsRefusedWithTheDpopChallenge() {
        given().auth().oauth2(issuer.tokenWithScope("caller", "read:messages")).when().get(PATH).then()
                .statusCode(401)
                .header("WWW-Authenticate", startsWith("DPoP realm=\"m2m-api\", error=\"invalid_token\""))
                .header("WWW-Authenticate", containsString("DPoP-bound tokens only"));
    }

    @Test
    void withoutATokenOnlyDpopIsOffered() {
        assertEquals(List.of("DPoP"), given().when().get(PATH).then().statusCode(401).extract().headers()
                .getValues("WWW-Authenticate").stream().map(c -> c.substring(0, c.indexOf(' '))).toList());
    }

    @Test
    void aBoundTokenWithItsProofIsServed() {
        TokenForge forge = new TokenForge(issuer, null);
        String token = forge.boundToken("ec");
        given().header("Authorization", "DPoP " + token)
                .header("DPoP", forge.proof(forge.proofHeader("ec"), TokenForge.proofClaims(PATH, token), "ec"))
                .when().get(PATH).then().statusCode(200);
    }

    @Test
    void theMetadataSaysDpopIsRequired() {
        given().when().get("/.well-known/oauth-protected-resource").then().statusCode(200)
                .body("dpop_bound_access_tokens_required", equalTo(true))
                .body("dpop_signing_alg_values_supported", equalTo(ProofRules.ALGORITHMS));
    }
}
