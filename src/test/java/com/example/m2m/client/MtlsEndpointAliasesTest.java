package com.example.m2m.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

/** RFC 8705 section 5's aliases, as the caller's client reads them from the issuer's metadata. */
class MtlsEndpointAliasesTest {

    private static final String ISSUER = "https://login.example.com/";

    private static String metadata(String aliases) {
        return "{\"issuer\":\"" + ISSUER + "\",\"token_endpoint\":\"" + ISSUER + "oauth/token\","
                + "\"revocation_endpoint\":\"" + ISSUER + "oauth/revoke\""
                + (aliases == null ? "" : ",\"mtls_endpoint_aliases\":" + aliases) + "}";
    }

    @Test
    void theTokenAndRevocationEndpointsAreReplacedByTheirAliases() {
        JsonObject replaced = MtlsEndpointAliases.withAliases(metadata("{\"token_endpoint\":"
                + "\"https://mtls.login.example.com/oauth/token\",\"revocation_endpoint\":"
                + "\"https://mtls.login.example.com/oauth/revoke\",\"userinfo_endpoint\":"
                + "\"https://mtls.login.example.com/userinfo\"}"));
        assertEquals("https://mtls.login.example.com/oauth/token", replaced.getString("token_endpoint"));
        assertEquals("https://mtls.login.example.com/oauth/revoke", replaced.getString("revocation_endpoint"));
        assertEquals(ISSUER, replaced.getString("issuer"), "the issuer is never an alias");
        assertNull(replaced.getString("userinfo_endpoint"), "only what the caller's client reads is touched");
    }

    @Test
    void anEndpointWithoutAnAliasKeepsItsOwnUrl() {
        JsonObject replaced = MtlsEndpointAliases
                .withAliases(metadata("{\"token_endpoint\":\"https://mtls.login.example.com/oauth/token\"}"));
        assertEquals("https://mtls.login.example.com/oauth/token", replaced.getString("token_endpoint"));
        assertEquals(ISSUER + "oauth/revoke", replaced.getString("revocation_endpoint"));
    }

    @Test
    void nothingIsReplacedWithoutUsableAliases() {
        assertNull(MtlsEndpointAliases.withAliases(metadata(null)), "no aliases");
        assertNull(MtlsEndpointAliases.withAliases(metadata("{}")), "empty aliases");
        // Keycloak behind an http host name lists http aliases: mutual TLS over them would present no certificate.
        assertNull(MtlsEndpointAliases.withAliases(
                metadata("{\"token_endpoint\":\"http://login.example.com/oauth/token\"}")), "http alias");
        assertNull(MtlsEndpointAliases.withAliases(metadata("{\"token_endpoint\":\"https:///oauth/token\"}")),
                "no host");
        assertNull(MtlsEndpointAliases.withAliases(metadata("{\"token_endpoint\":42}")), "not a string");
        assertNull(MtlsEndpointAliases.withAliases(metadata("[\"https://mtls.login.example.com/oauth/token\"]")),
                "not an object");
        assertNull(MtlsEndpointAliases.withAliases(metadata("\"https://mtls.login.example.com/oauth/token\"")),
                "a string");
        assertNull(MtlsEndpointAliases.withAliases("<html>not metadata</html>"), "not JSON");
    }
}
