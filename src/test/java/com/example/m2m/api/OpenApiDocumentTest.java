package com.example.m2m.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.InjectLocalIssuer;
import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.LocalIssuerResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The OpenAPI document: an OAuth 2.0 clientCredentials scheme on the issuer's token URL, and scopes per operation. */
@QuarkusTest
@WithTestResource(LocalIssuerResource.class)
class OpenApiDocumentTest {

    @InjectLocalIssuer
    LocalIssuer issuer;

    @Test
    void declaresClientCredentialsWithTheIssuersTokenUrlAndEachOperationsScopes() {
        given().queryParam("format", "json").when().get("/q/openapi").then()
                .statusCode(200)
                .body("components.securitySchemes.oauth2.type", equalTo("oauth2"))
                .body("components.securitySchemes.oauth2.flows.clientCredentials.tokenUrl", equalTo(issuer.url() + "/token"))
                .body("components.securitySchemes.oauth2.flows.clientCredentials.scopes", hasKey("read:messages"))
                .body("components.securitySchemes.oauth2.flows.clientCredentials.scopes", hasKey("admin:messages"))
                .body("paths.'/'.get.security[0].oauth2", contains("read:messages"))
                .body("paths.'/api/messages/protected'.get.security[0].oauth2", contains("read:messages"))
                .body("paths.'/api/messages/admin'.get.security[0].oauth2", contains("admin:messages"))
                .body("paths.'/api/clients'.post.security[0].oauth2", contains("clients:register"));
    }
}
