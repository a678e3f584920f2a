package com.example.m2m.security.mtls;

import static io.restassured.RestAssured.given;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.InjectLocalIssuer;
import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.LocalIssuerResource;
import com.example.m2m.testsupport.TestCertificates;
import com.example.m2m.testsupport.TokenForge;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/**
 * Behind a TLS-terminating proxy (nginx ingress' {@code ssl-client-cert} here, declared at 127.0.0.1, where the tests
 * connect from): a certificate-bound token is served with the forwarded certificate it is bound to, refused with
 * another one or none, every time (cached token or not). {@link UntrustedSourceTest}: the same header from an address
 * that is not a declared proxy changes nothing.
 */
@QuarkusTest
@WithTestResource(LocalIssuerResource.class)
@TestProfile(ForwardedCertificateBindingTest.BehindNginx.class)
class ForwardedCertificateBindingTest {

    public static class BehindNginx implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("CLIENT_CERT_HEADER", "ssl-client-cert", "CLIENT_CERT_PROXIES", "127.0.0.1,::1");
        }
    }

    static final String PATH = "/api/messages/protected";

    @InjectLocalIssuer
    LocalIssuer issuer;

    static String forwarded(String certificate) throws Exception {
        return URLEncoder.encode(Files.readString(Path.of(TestCertificates.file(certificate))), StandardCharsets.UTF_8);
    }

    static String boundTo(LocalIssuer issuer, String certificate) {
        TokenForge forge = new TokenForge(issuer, null);
        return forge.token(forge.header(), forge.claims().put("cnf",
                new JsonObject().put("x5t#S256", TestCertificates.thumbprint(certificate))));
    }

    @Test
    void theForwardedCertificateTheTokenIsBoundToIsServedEveryTime() throws Exception {
        String token = boundTo(issuer, TestCertificates.CALLER);
        for (int i = 0; i < 3; i++) {
            given().header("Authorization", "Bearer " + token)
                    .header("ssl-client-cert", forwarded(TestCertificates.CALLER))
                    .when().get(PATH).then().statusCode(200);
        }
    }

    @Test
    void anotherForwardedCertificateOrNoneIsRefused() throws Exception {
        String token = boundTo(issuer, TestCertificates.CALLER);
        given().header("Authorization", "Bearer " + token).header("ssl-client-cert", forwarded(TestCertificates.CALLER))
                .when().get(PATH).then().statusCode(200); // in the verified-token cache now
        given().header("Authorization", "Bearer " + token).header("ssl-client-cert", forwarded(TestCertificates.THIEF))
                .when().get(PATH).then().statusCode(401)
                .header("WWW-Authenticate", org.hamcrest.Matchers.containsString("error=\"invalid_token\""))
                .body("detail", org.hamcrest.Matchers.containsString("not the one the token is bound to"));
        given().header("Authorization", "Bearer " + token).when().get(PATH).then().statusCode(401);
        given().header("Authorization", "Bearer " + token).header("ssl-client-cert", "garbage")
                .when().get(PATH).then().statusCode(401);
        given().header("Authorization", "Bearer " + token).header("ssl-client-cert", forwarded(TestCertificates.CALLER))
                .header("ssl-client-cert", forwarded(TestCertificates.CALLER))
                .when().get(PATH).then().statusCode(401); // twice: ambiguous, so none
    }

    @Test
    void theMetadataSaysCertificateBoundTokensAreTaken() {
        given().when().get("/.well-known/oauth-protected-resource").then().statusCode(200)
                .body("tls_client_certificate_bound_access_tokens", org.hamcrest.Matchers.equalTo(true));
    }

    @Test
    void anUnboundTokenNeedsNoCertificate() {
        TokenForge forge = new TokenForge(issuer, null);
        given().header("Authorization", "Bearer " + forge.good()).when().get(PATH).then().statusCode(200);
    }
}
