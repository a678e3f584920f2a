package com.example.m2m.registration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.example.m2m.testsupport.InjectLocalIssuer;
import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.LocalIssuerResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Registration is off by default (503, a clear message); the local issuer has no registration endpoint either. */
@QuarkusTest
@WithTestResource(LocalIssuerResource.class)
class RegistrationUnavailableTest {

    @InjectLocalIssuer
    LocalIssuer issuer;

    @Test
    void registrationNotEnabledIsA503SayingSo() {
        given().auth().oauth2(issuer.tokenWithScope("admin", "clients:register")).contentType(ContentType.JSON)
                .body(Map.of("label", "billing-batch", "scopes", List.of("read:messages")))
                .when().post("/api/clients").then()
                .statusCode(503)
                .contentType(startsWith("application/problem+json"))
                .body("detail", containsString("not enabled"));
    }

    @Test
    void validationComesFirst() {
        given().auth().oauth2(issuer.tokenWithScope("admin", "clients:register")).contentType(ContentType.JSON)
                .body(Map.of("label", "", "scopes", List.of("read:messages")))
                .when().post("/api/clients").then()
                .statusCode(400).body("detail", containsString("label is required"));
    }

    @Test
    void malformedJsonIsA400Problem() {
        given().auth().oauth2(issuer.tokenWithScope("admin", "clients:register")).contentType(ContentType.JSON)
                .body("{\"label\": ").when().post("/api/clients").then()
                .statusCode(400).contentType(startsWith("application/problem+json"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"label\":\"x\",\"scopes\":\"read:messages\"}", "[]", "{\"label\":5,\"scopes\":{}}",
            "{\"label\":\"x\",\"scopes\":[[\"read:messages\"]]}", "\"a string\"", "42" })
    void wellFormedJsonOfTheWrongShapeIsA400Problem(String body) {
        given().auth().oauth2(issuer.tokenWithScope("admin", "clients:register")).contentType(ContentType.JSON)
                .body(body).when().post("/api/clients").then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(400))
                .body("detail", containsString("does not have the shape"));
    }
}
