package com.example.m2m.testsupport;

import static io.restassured.RestAssured.given;

/**
 * The real Keycloak of the integration tests, started by the build (src/test/keycloak/keycloak.sh) with the realm
 * in src/test/keycloak/m2m-realm.json. Its clients:
 * <ul>
 * <li>{@code m2m-test-client}: may ask for read:messages, admin:messages and clients:register (the caller's
 * TEST_CLIENT_ID);</li>
 * <li>{@code m2m-reader}: may ask for read:messages only;</li>
 * <li>{@code m2m-other-api}: without one of this API's scopes, its tokens carry no {@code aud} for it;</li>
 * <li>{@code m2m-registrar}: the service's own client for dynamic client registration (role create-client).</li>
 * </ul>
 */
public final class Keycloak {

    public static final String AUDIENCE = "api://messages";
    public static final String TEST_CLIENT_ID = "m2m-test-client";
    public static final String TEST_CLIENT_SECRET = "m2m-test-secret";
    public static final String READER_ID = "m2m-reader";
    public static final String READER_SECRET = "m2m-reader-secret";
    public static final String OTHER_API_ID = "m2m-other-api";
    public static final String OTHER_API_SECRET = "m2m-other-secret";
    public static final String REGISTRAR_ID = "m2m-registrar";
    public static final String REGISTRAR_SECRET = "m2m-registrar-secret";

    private Keycloak() {
    }

    /** Set by failsafe (pom.xml) from the port the build started Keycloak on. */
    public static String url() {
        return System.getProperty("keycloak.url", "http://127.0.0.1:18180");
    }

    public static String issuer() {
        return url() + "/realms/m2m";
    }

    /** A client-credentials access token from Keycloak, as any caller would get it. */
    public static String token(String clientId, String secret, String scope) {
        var request = given().auth().preemptive().basic(clientId, secret)
                .formParam("grant_type", "client_credentials");
        if (scope != null) {
            request.formParam("scope", scope);
        }
        return request.when().post(issuer() + "/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    /**
     * A client-credentials access token bound to a fresh EC key (RFC 9449): the token request carries a DPoP proof,
     * and Keycloak (DPoP on by default in 26) answers with {@code token_type: DPoP} and {@code cnf.jkt} in the token.
     */
    public static String dpopBoundToken(String clientId, String secret, String scope) {
        String tokenEndpoint = issuer() + "/protocol/openid-connect/token";
        try {
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
            generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
            java.security.KeyPair pair = generator.generateKeyPair();
            org.jose4j.jws.JsonWebSignature proof = new org.jose4j.jws.JsonWebSignature();
            proof.setHeader("typ", "dpop+jwt");
            proof.setAlgorithmHeaderValue("ES256");
            proof.setJwkHeader(org.jose4j.jwk.PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic()));
            org.jose4j.jwt.JwtClaims claims = new org.jose4j.jwt.JwtClaims();
            claims.setGeneratedJwtId();
            claims.setIssuedAtToNow();
            claims.setStringClaim("htm", "POST");
            claims.setStringClaim("htu", tokenEndpoint);
            proof.setPayload(claims.toJson());
            proof.setKey(pair.getPrivate());
            var answer = given().auth().preemptive().basic(clientId, secret).header("DPoP", proof.getCompactSerialization())
                    .formParam("grant_type", "client_credentials").formParam("scope", scope)
                    .when().post(tokenEndpoint).then().statusCode(200).extract();
            if (!"DPoP".equalsIgnoreCase(answer.path("token_type"))) {
                throw new IllegalStateException("Keycloak issued no DPoP-bound token: " + answer.path("token_type"));
            }
            return answer.path("access_token");
        } catch (java.security.GeneralSecurityException | org.jose4j.lang.JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
