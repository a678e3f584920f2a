package com.example.m2m.security;

import static com.example.m2m.testsupport.Management.management;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.example.m2m.api.Endpoints;
import com.example.m2m.testsupport.Keycloak;
import com.example.m2m.testsupport.PackagedService;
import com.example.m2m.testsupport.SeveralRealmsResource;
import com.example.m2m.testsupport.SeveralRealmsResource.Unlisted;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.smallrye.jwt.build.Jwt;

/**
 * The packaged service trusting two realms of the real Keycloak as two issuers (and a third listed issuer whose keys
 * cannot be had: its realm does not exist): each realm's tokens accepted and named; a token naming one realm and signed
 * by the other's key refused (the partner realm signs with a key the test holds, src/test/keycloak); an issuer that is
 * not listed never contacted; the issuer that cannot be used does not stop the others' callers.
 */
@QuarkusIntegrationTest
@Tag(PackagedService.TAG)
@WithTestResource(SeveralRealmsResource.class)
class SeveralRealmsIT {

    private static final String CHECK = "checks.find { it.name == 'oidc-issuer' }.data";

    Unlisted unlisted;

    private static PrivateKey partnerKey() throws Exception {
        String pem = Files.readString(Keycloak.PARTNER_SIGNING_KEY).replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    /** The kid under which a realm publishes its (first) signing key. */
    private static String kidOf(String realm) {
        return given().when().get(Keycloak.issuer(realm) + "/protocol/openid-connect/certs").then().statusCode(200)
                .extract().path("keys.find { it.use == 'sig' }.kid");
    }

    /** A token naming {@code issuer}, signed with the partner realm's key under {@code kid}. */
    private static String signedByPartner(String issuer, String kid) throws Exception {
        return Jwt.issuer(issuer).subject("forger").audience(Keycloak.AUDIENCE).claim("client_id", "forger")
                .claim("scope", Endpoints.READ_SCOPE).expiresIn(300).jws().keyId(kid).sign(partnerKey());
    }

    @Test
    void eachRealmsTokensAreAcceptedAndNamed() {
        String m2m = Keycloak.token(Keycloak.TEST_CLIENT_ID, Keycloak.TEST_CLIENT_SECRET, Endpoints.READ_SCOPE);
        String partner = Keycloak.token(Keycloak.PARTNER_REALM, Keycloak.PARTNER_CLIENT_ID,
                Keycloak.PARTNER_CLIENT_SECRET, Endpoints.READ_SCOPE);
        given().auth().oauth2(m2m).when().get(Endpoints.WHOAMI).then().statusCode(200)
                .body("issuer", equalTo(Keycloak.issuer())).body("clientId", equalTo(Keycloak.TEST_CLIENT_ID));
        given().auth().oauth2(partner).when().get(Endpoints.WHOAMI).then().statusCode(200)
                .body("issuer", equalTo(Keycloak.issuer(Keycloak.PARTNER_REALM)))
                .body("clientId", equalTo(Keycloak.PARTNER_CLIENT_ID));
        given().auth().oauth2(m2m).when().get(Endpoints.PROTECTED).then().statusCode(200);
        given().auth().oauth2(partner).when().get(Endpoints.PROTECTED).then().statusCode(200);
    }

    @Test
    void aTokenNamingOneRealmSignedByTheOthersKeyIsRefused() throws Exception {
        String partnerKid = kidOf(Keycloak.PARTNER_REALM);
        // The control: the same key, naming its own realm, is accepted (the test signs as the partner realm does).
        given().auth().oauth2(signedByPartner(Keycloak.issuer(Keycloak.PARTNER_REALM), partnerKid))
                .when().get(Endpoints.PROTECTED).then().statusCode(200);
        // Naming the m2m realm: under the partner key's kid, and under the m2m realm's own kid.
        for (String kid : List.of(partnerKid, kidOf("m2m"))) {
            given().auth().oauth2(signedByPartner(Keycloak.issuer(), kid)).when().get(Endpoints.PROTECTED).then()
                    .statusCode(401).header("WWW-Authenticate", containsString("error=\"invalid_token\""));
        }
    }

    @Test
    void anIssuerNobodyListedIsNeverContacted() throws Exception {
        given().auth().oauth2(signedByPartner(unlisted.issuer(), kidOf(Keycloak.PARTNER_REALM)))
                .when().get(Endpoints.PROTECTED).then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""));
        assertEquals(0, unlisted.connections().get());
    }

    @Test
    void anIssuerWhoseKeysCannotBeHadStopsNoOneElse() throws Exception {
        String absent = Keycloak.issuer(SeveralRealmsResource.ABSENT_REALM);
        management().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body(CHECK + ".issuers", equalTo(3))
                .body(CHECK + "['issuer.1.canVerifyTokens']", equalTo(true))
                .body(CHECK + "['issuer.2']", equalTo(Keycloak.issuer(Keycloak.PARTNER_REALM)))
                .body(CHECK + "['issuer.2.canVerifyTokens']", equalTo(true))
                .body(CHECK + "['issuer.3']", equalTo(absent))
                .body(CHECK + "['issuer.3.canVerifyTokens']", equalTo(false))
                .body(CHECK + "['issuer.3.issuerAnswer']", equalTo("HTTP 404"));
        // A token naming it: refused as a caller error (never a 500), while the others' tokens are served.
        given().auth().oauth2(signedByPartner(absent, kidOf(Keycloak.PARTNER_REALM)))
                .when().get(Endpoints.PROTECTED).then().statusCode(401);
        given().auth().oauth2(Keycloak.token(Keycloak.TEST_CLIENT_ID, Keycloak.TEST_CLIENT_SECRET,
                Endpoints.READ_SCOPE)).when().get(Endpoints.PROTECTED).then().statusCode(200);
        given().when().get("/.well-known/oauth-protected-resource").then().statusCode(200)
                .body("authorization_servers", equalTo(List.of(Keycloak.issuer(),
                        Keycloak.issuer(Keycloak.PARTNER_REALM), absent)));
    }
}
