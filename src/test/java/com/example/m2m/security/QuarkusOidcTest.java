package com.example.m2m.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.InjectLocalIssuer;
import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.LocalIssuerResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The assumptions {@link QuarkusOidc} makes about Quarkus OIDC's internals, against the running Quarkus: a Quarkus
 * upgrade that breaks one fails here, by name. (Introspection and its "not active" answer: {@code IntrospectionTest},
 * {@code RevocationIT}; the message itself: {@code TokenFailureTest}.)
 */
@QuarkusTest
@WithTestResource(LocalIssuerResource.class)
class QuarkusOidcTest {

    @InjectLocalIssuer
    LocalIssuer issuer;

    @Test
    void theDefaultTenantIsFoundByQuarkusNameWithItsDiscoveryDocument() {
        given().auth().oauth2(issuer.tokenWithScope("caller", "read:messages")).when().get("/api/whoami").then()
                .statusCode(200);
        QuarkusOidc.Tenant tenant = QuarkusOidc.tenant(QuarkusOidc.DEFAULT_TENANT);
        assertNotNull(tenant, "Quarkus' default tenant under " + QuarkusOidc.DEFAULT_TENANT);
        assertTrue(tenant.ready());
        assertEquals(issuer.url(), tenant.metadata().getIssuer());
        assertEquals(issuer.url(), tenant.authServerUrl());
        assertNull(QuarkusOidc.tenant("no-such-tenant"));
    }

    @Test
    void aJwtIsNotOpaqueAnythingElseIs() {
        assertFalse(QuarkusOidc.looksOpaque(issuer.tokenWithScope("caller", "read:messages")));
        assertTrue(QuarkusOidc.looksOpaque("2YotnFZFEjr1zCsicMWpAA"));
        assertTrue(QuarkusOidc.looksOpaque("a.b.c"));
    }
}
