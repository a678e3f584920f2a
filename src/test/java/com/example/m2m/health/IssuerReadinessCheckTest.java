package com.example.m2m.health;

import static com.example.m2m.testsupport.Management.management;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.InjectLocalIssuer;
import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.LocalIssuerResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(LocalIssuerResource.class)
class IssuerReadinessCheckTest {

    @InjectLocalIssuer
    LocalIssuer issuer;

    @Test
    void readyWithTheIssuersKeysAndSaysTheIssuerIsReachable() {
        management().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(IssuerReadinessCheck.NAME))
                .body("checks.find { it.name == 'oidc-issuer' }.data.canVerifyTokens", equalTo(true))
                .body("checks.find { it.name == 'oidc-issuer' }.data.issuerReachable", equalTo(true))
                .body("checks.find { it.name == 'oidc-issuer' }.data.issuer", equalTo(issuer.url()));
    }

    @Test
    void aliveWithoutAnyToken() {
        management().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }
}
