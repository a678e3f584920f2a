package com.example.m2m.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.InjectLocalIssuer;
import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.LocalIssuerResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/** REQUIRE_RFC9068=true: only JWT access tokens per RFC 9068 (typ at+jwt and the claims it requires) pass. */
@QuarkusTest
@WithTestResource(LocalIssuerResource.class)
@TestProfile(Rfc9068StrictModeTest.Strict.class)
class Rfc9068StrictModeTest {

    public static class Strict implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("REQUIRE_RFC9068", "true");
        }
    }

    @InjectLocalIssuer
    LocalIssuer issuer;

    private JwtClaimsBuilder rfc9068Claims() {
        return issuer.claims("caller").claim("scope", "read:messages").claim("jti", UUID.randomUUID().toString());
    }

    @Test
    void anRfc9068AccessTokenIsAccepted() {
        given().auth().oauth2(issuer.signAccessToken(rfc9068Claims())).when().get("/api/messages/protected")
                .then().statusCode(200);
    }

    @Test
    void aPlainJwtIsRefusedSayingWhy() {
        given().auth().oauth2(issuer.sign(rfc9068Claims())).when().get("/api/messages/protected").then()
                .statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""))
                .header("WWW-Authenticate", containsString("typ must be at+jwt"));
    }

    @Test
    void aMissingRequiredClaimIsRefused() {
        // (smallrye-jwt-build adds a jti to every token it signs, so sub and client_id stand for the others.)
        given().auth().oauth2(issuer.signAccessToken(rfc9068Claims().remove("sub")))
                .when().get("/api/messages/protected").then()
                .statusCode(401)
                .header("WWW-Authenticate", containsString("lacks a claim RFC 9068 requires"));
        given().auth().oauth2(issuer.signAccessToken(rfc9068Claims().remove("client_id")))
                .when().get("/api/messages/protected").then()
                .statusCode(401)
                .header("WWW-Authenticate", containsString("lacks a claim RFC 9068 requires"));
    }
}
