package com.example.m2m.providers;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.Test;

import com.example.m2m.api.Endpoints;
import com.example.m2m.client.MessagesApi;
import com.example.m2m.testsupport.TestCertificates;
import com.example.m2m.testsupport.providers.Auth0Tenant;
import com.example.m2m.testsupport.providers.Auth0TenantResource;
import com.example.m2m.testsupport.providers.ProviderImitation;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * RFC 8705 against Auth0's mTLS as its documentation describes it ({@link Auth0Tenant}, M1 to M5): the tenant's
 * discovery document lists its {@code mtls_endpoint_aliases} on {@code mtls.<custom domain>}, and the caller has a
 * certificate, no secret and no {@code TEST_CLIENT_TOKEN_ENDPOINT}. It has to find the alias itself
 * ({@code client/MtlsEndpointAliases}): the tenant's own token endpoint asks for no certificate, so it refuses an
 * application that authenticates with one. At the alias the certificate authenticates the caller
 * ({@code tls_client_auth}), the token is bound to it ({@code cnf.x5t#S256}), and the API serves that token because
 * the caller presents the same certificate on its HTTPS port.
 */
@QuarkusTest
@WithTestResource(value = Auth0TenantResource.class, initArgs = @ResourceArg(name = "row", value = "auth0-mtls"))
class Auth0MtlsTest {

    private static final String TOKEN_PATH = "/oauth/token";

    Auth0Tenant tenant;

    @Inject
    @RestClient
    MessagesApi api;

    @Test
    void theCallerGetsATokenBoundToItsCertificateAtTheAliasAndCallsTheApiWithIt() {
        JsonNode me = api.whoami();
        assertEquals(Auth0TenantResource.MTLS_CALLER_ID, me.get("clientId").asText(), me.toString());
        assertEquals("Hello World!", api.hello().get("message").asText());

        List<ProviderImitation.Request> tokenRequests = tenant.requestsTo(TOKEN_PATH);
        assertFalse(tokenRequests.isEmpty());
        for (ProviderImitation.Request request : tokenRequests) {
            assertEquals(tenant.mtlsBase(), request.origin(), "a token request to the tenant's own host");
        }
        Map<String, String> form = tokenRequests.get(tokenRequests.size() - 1).form();
        assertEquals(Auth0TenantResource.MTLS_CALLER_ID, form.get("client_id"));
        assertEquals(Auth0TenantResource.API, form.get("audience"));
        assertFalse(form.containsKey("client_secret"), form.toString());
        assertFalse(form.containsKey("client_assertion"), form.toString());

        assertEquals(Map.of("x5t#S256", TestCertificates.thumbprint(TestCertificates.CALLER)),
                ProviderImitation.claimsOf(tenant.lastIssuedToken()).get("cnf"));

        // And a caller that ignored the alias would have got no token. M1: the tenant's own host asks for no
        // certificate; and the edge's headers are believed only with the custom domain's key, which the edge adds.
        // (Here, after the checks above: these requests go to the tenant's own host.)
        int issued = tenant.issuedTokens().size();
        tokenRequestWithoutCertificate(Map.of()).then().statusCode(401).body("error", equalTo("access_denied"));
        tokenRequestWithoutCertificate(Map.of(Auth0Tenant.CLIENT_CERTIFICATE, forwarded(TestCertificates.CALLER),
                Auth0Tenant.CLIENT_CERTIFICATE_CA_VERIFIED, "SUCCESS")).then().statusCode(401);
        assertEquals(issued, tenant.issuedTokens().size());
    }

    @Test
    void theBoundTokenIsRefusedWithoutItsCertificate() {
        api.whoami(); // the caller's token, bound to its certificate
        String token = tenant.lastIssuedToken();
        // plain HTTP: no certificate at all
        given().auth().oauth2(token).when().get(Endpoints.WHOAMI).then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""));
    }

    @Test
    void theAliasHostTakesNoConnectionWithoutACertificate() {
        // M4: "All requests that arrive at the mTLS subdomain should request a client TLS certificate".
        HttpClient noCertificate = HttpClient.newBuilder().sslContext(TestCertificates.context(null)).build();
        assertThrows(IOException.class, () -> noCertificate.send(HttpRequest.newBuilder(URI.create(
                tenant.mtlsTokenEndpoint())).POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .header("Content-Type", "application/x-www-form-urlencoded").build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private Response tokenRequestWithoutCertificate(Map<String, String> headers) {
        return given().headers(headers).formParam("grant_type", "client_credentials")
                .formParam("client_id", Auth0TenantResource.MTLS_CALLER_ID)
                .formParam("audience", Auth0TenantResource.API)
                .when().post(tenant.tokenEndpoint());
    }

    /** A certificate of the set as the customer edge forwards it: a URL component encoded PEM (M4). */
    private static String forwarded(String certificate) {
        try {
            return URLEncoder.encode(Files.readString(Path.of(TestCertificates.file(certificate))),
                    StandardCharsets.UTF_8).replace("+", "%20");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
