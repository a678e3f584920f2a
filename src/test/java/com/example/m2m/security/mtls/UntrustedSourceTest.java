package com.example.m2m.security.mtls;

import static io.restassured.RestAssured.given;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.InjectLocalIssuer;
import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.LocalIssuerResource;
import com.example.m2m.testsupport.TestCertificates;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A forged forwarding header from an address that is not a declared proxy changes nothing: the proxies are
 * 10.0.0.0/8, the tests connect from 127.0.0.1, and claiming to be forwarded (X-Forwarded-For a proxy's address, with
 * Quarkus' own forwarding on) does not make the connection the proxy's.
 */
@QuarkusTest
@WithTestResource(LocalIssuerResource.class)
@TestProfile(UntrustedSourceTest.ProxyElsewhere.class)
class UntrustedSourceTest {

    public static class ProxyElsewhere implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("CLIENT_CERT_HEADER", "x-forwarded-client-cert", "CLIENT_CERT_PROXIES", "10.0.0.0/8",
                    // remoteAddress() becomes X-Forwarded-For's: the check must look at the connection
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true");
        }
    }

    @InjectLocalIssuer
    LocalIssuer issuer;

    @Test
    void aForgedHeaderFromANonProxyIsIgnored() throws Exception {
        String token = ForwardedCertificateBindingTest.boundTo(issuer, TestCertificates.CALLER);
        String xfcc = "Cert=\"" + ForwardedCertificateBindingTest.forwarded(TestCertificates.CALLER) + "\"";
        given().header("Authorization", "Bearer " + token).header("x-forwarded-client-cert", xfcc)
                .when().get(ForwardedCertificateBindingTest.PATH).then().statusCode(401);
        given().header("Authorization", "Bearer " + token).header("x-forwarded-client-cert", xfcc)
                .header("X-Forwarded-For", "10.1.2.3")
                .when().get(ForwardedCertificateBindingTest.PATH).then().statusCode(401);
    }
}
