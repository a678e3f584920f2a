package com.example.m2m.security.dpop;

import static io.restassured.RestAssured.given;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.InjectLocalIssuer;
import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.LocalIssuerResource;
import com.example.m2m.testsupport.TokenForge;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Behind a TLS-terminating proxy the caller signs the URL it called ({@code https://api.example/...}), not the one the
 * service listens on: with Quarkus' forwarded-header settings on (as a deployment behind a trusted proxy sets them),
 * {@code htu} is compared with the URL the proxy says was called; without the proxy's headers, that URL is refused.
 */
@QuarkusTest
@WithTestResource(LocalIssuerResource.class)
@TestProfile(DpopBehindAProxyTest.BehindAProxy.class)
class DpopBehindAProxyTest {

    public static class BehindAProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.enable-forwarded-host", "true");
        }
    }

    private static final String PATH = "/api/messages/protected";
    private static final String PUBLIC_URL = "https://api.example" + PATH;

    @InjectLocalIssuer
    LocalIssuer issuer;

    @Test
    void theForwardedUrlIsTheOneTheProofNames() {
        TokenForge forge = new TokenForge(issuer, null);
        String token = forge.boundToken("ec");
        given().header("Authorization", "DPoP " + token)
                .header("DPoP", forge.proof(forge.proofHeader("ec"),
                        TokenForge.proofClaims(PATH, token).put("htu", PUBLIC_URL), "ec"))
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "api.example")
                .when().get(PATH).then().statusCode(200);
    }

    @Test
    void withoutTheProxysHeadersThePublicUrlIsNotThisRequests() {
        TokenForge forge = new TokenForge(issuer, null);
        String token = forge.boundToken("ec");
        given().header("Authorization", "DPoP " + token)
                .header("DPoP", forge.proof(forge.proofHeader("ec"),
                        TokenForge.proofClaims(PATH, token).put("htu", PUBLIC_URL), "ec"))
                .when().get(PATH).then().statusCode(401);
    }
}
