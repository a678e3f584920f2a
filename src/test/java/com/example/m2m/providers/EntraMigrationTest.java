package com.example.m2m.providers;

import static com.example.m2m.providers.EntraChecks.refused;
import static com.example.m2m.testsupport.providers.EntraTenantResource.API_ID;
import static com.example.m2m.testsupport.providers.EntraTenantResource.CALLER_ID;
import static com.example.m2m.testsupport.providers.EntraTenantResource.CALLER_SECRET;
import static com.example.m2m.testsupport.providers.EntraTenantResource.OTHER_TENANT_ID;
import static com.example.m2m.testsupport.providers.EntraTenantResource.TENANT_ID;
import static com.example.m2m.testsupport.providers.ProviderImitation.claimsOf;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.example.m2m.api.Endpoints;
import com.example.m2m.client.MessagesApi;
import com.example.m2m.testsupport.providers.EntraTenant;
import com.example.m2m.testsupport.providers.EntraTenantResource;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The README's Entra ID migration row: an API moving from v1.0 to v2.0 tokens (its manifest's
 * {@code accessTokenAcceptedVersion} from null to 2, https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens)
 * takes both while tokens of each are in flight. Service
 * {@code ISSUER=<base>/<tid>/v2.0,<base>/<tid>}, {@code AUDIENCE=<API application id>,api://<API application id>},
 * {@code SCOPE_CLAIMS=roles}; caller {@code TEST_CLIENT_ID}, {@code TEST_CLIENT_SECRET},
 * {@code TEST_CLIENT_SCOPE=api://<API application id>/.default} (the v2.0 endpoint: the first ISSUER's).
 * <p>
 * A v1.0 token says {@code iss https://sts.windows.net/<tid>/}, which no listed URL is: it is the issuer the second URL's
 * discovery declares. Entra signs every tenant's tokens with the same keys, so a token of another tenant verifies with
 * them: only its issuer tells it apart, and it names no trusted one.
 */
@QuarkusTest
@WithTestResource(value = EntraTenantResource.class, initArgs = @ResourceArg(name = "row", value = "migration"))
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EntraMigrationTest {

    EntraTenant entra;

    @Inject
    @RestClient
    MessagesApi api;

    /** The caller's OIDC client itself (the one MessagesApi's filter uses), for a fresh token after the switch. */
    @Inject
    OidcClient caller;

    @Test
    @Order(1)
    void tokensOfBothVersionsAreAccepted() {
        // Before the switch: the manifest says null, the v2.0 endpoint issues v1.0 tokens.
        entra.acceptedVersion(1);
        assertEquals("Hello World!", api.hello().get("message").asText());
        assertTrue(api.protectedMessage().get("message").asText().contains(Endpoints.READ_SCOPE));
        JsonNode me = api.whoami();
        assertEquals(CALLER_ID, me.get("clientId").asText());
        assertEquals(EntraTenant.stsIssuer(TENANT_ID), me.get("issuer").asText());

        // After it: v2.0 tokens, while the v1.0 one above is still in use.
        entra.acceptedVersion(2);
        String v2 = caller.getTokens().await().indefinitely().getAccessToken();
        Map<String, Object> claims = claimsOf(v2);
        assertEquals("2.0", claims.get("ver"));
        assertEquals(API_ID, claims.get("aud"));
        for (String path : List.of(Endpoints.ROOT, Endpoints.PROTECTED)) {
            given().auth().oauth2(v2).when().get(path).then().statusCode(200);
        }
        given().auth().oauth2(v2).when().get(Endpoints.WHOAMI).then().statusCode(200)
                .body("clientId", equalTo(CALLER_ID))
                .body("issuer", equalTo(entra.v2Authority()));
        assertEquals(CALLER_ID, api.whoami().get("clientId").asText()); // the cached v1.0 token, still good
        assertEquals(List.of(), entra.refusals());
    }

    @Test
    @Order(2)
    void anotherTenantsTokensSignedWithTheSameKeysAreRefused() {
        for (int version : List.of(1, 2)) {
            Map<String, Object> claims = entra.accessTokenClaims(CALLER_ID, version,
                    version == 1 ? "api://" + API_ID : API_ID, "1", Set.of(Endpoints.READ_SCOPE));
            String genuine = EntraTenant.sign(entra.header(version), claims, entra.currentKey());
            given().auth().oauth2(genuine).when().get(Endpoints.PROTECTED).then().statusCode(200);

            String otherIssuer = version == 1 ? EntraTenant.stsIssuer(OTHER_TENANT_ID)
                    : entra.base() + "/" + OTHER_TENANT_ID + "/v2.0";
            claims = entra.accessTokenClaims(CALLER_ID, version, version == 1 ? "api://" + API_ID : API_ID, "1",
                    Set.of(Endpoints.READ_SCOPE));
            claims.put("iss", otherIssuer);
            claims.put("tid", OTHER_TENANT_ID);
            if (version == 1) {
                claims.put("idp", otherIssuer);
            }
            refused(EntraTenant.sign(entra.header(version), claims, entra.currentKey()), Endpoints.PROTECTED, "issuer");
        }
        // The other tenant's documents were never asked for.
        assertEquals(List.of(), entra.requestsTo("/" + OTHER_TENANT_ID + "/.well-known/openid-configuration"));
        assertEquals(List.of(), entra.requestsTo("/" + OTHER_TENANT_ID + "/v2.0/.well-known/openid-configuration"));
    }

    @Test
    @Order(3)
    void anIdTokenTheTenantIssuedToTheApiAppIsRefused() {
        refused(entra.idToken(UUID.randomUUID().toString(), "n-0S6_WzA2Mj"), Endpoints.WHOAMI,
                EntraChecks.NOT_AN_ACCESS_TOKEN);
    }

    @Test
    @Order(4)
    void noClientSecretIsLogged() throws IOException {
        EntraChecks.notLogged(CALLER_SECRET);
    }
}
