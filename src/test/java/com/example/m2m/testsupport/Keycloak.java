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
 * <li>{@code m2m-registrar}: the service's own client for dynamic client registration (role create-client);</li>
 * <li>{@code m2m-keyed-client} and {@code m2m-keyed-registrar}: the same as the test client and the registrar, but
 * with no secret: they authenticate with {@code private_key_jwt} (RFC 7523), signed by the keys in
 * src/test/keycloak ({@code keyed-client.pem}, RSA, kid {@code keyed-client-1}; {@code registrar-key.jwk.json}, EC
 * P-256 with its kid in the JWK), whose public halves the realm holds.</li>
 * </ul>
 */
public final class Keycloak {

    public static final String AUDIENCE = "api://messages";
    public static final String TEST_CLIENT_ID = "m2m-test-client";
    public static final String TEST_CLIENT_SECRET = "m2m-test-secret";
    /** A client whose tokens Keycloak binds to a DPoP key, and refuses to issue without a proof. */
    public static final String DPOP_CLIENT_ID = "m2m-dpop-client";
    public static final String DPOP_CLIENT_SECRET = "m2m-dpop-secret";
    public static final String READER_ID = "m2m-reader";
    public static final String READER_SECRET = "m2m-reader-secret";
    public static final String OTHER_API_ID = "m2m-other-api";
    public static final String OTHER_API_SECRET = "m2m-other-secret";
    public static final String REGISTRAR_ID = "m2m-registrar";
    public static final String REGISTRAR_SECRET = "m2m-registrar-secret";
    public static final String KEYED_CLIENT_ID = "m2m-keyed-client";
    public static final String KEYED_CLIENT_KEY_FILE = java.nio.file.Path.of("src/test/keycloak/keyed-client.pem")
            .toAbsolutePath().toString();
    public static final String KEYED_CLIENT_KEY_ID = "keyed-client-1";
    public static final String KEYED_REGISTRAR_ID = "m2m-keyed-registrar";
    public static final String KEYED_REGISTRAR_KEY_FILE = java.nio.file.Path.of(
            "src/test/keycloak/registrar-key.jwk.json").toAbsolutePath().toString();

    /** The second realm (src/test/keycloak/partner-realm.json): a second issuer, with a signing key the tests hold. */
    public static final String PARTNER_REALM = "partner";
    public static final String PARTNER_CLIENT_ID = "partner-client";
    public static final String PARTNER_CLIENT_SECRET = "partner-secret";
    public static final java.nio.file.Path PARTNER_SIGNING_KEY = java.nio.file.Path.of(
            "src/test/keycloak/partner-signing-key.pem").toAbsolutePath();
    /** The API's own client in the m2m realm, named as the audience its tokens carry: Keycloak lets it introspect. */
    public static final String INTROSPECTION_CLIENT_ID = AUDIENCE;
    public static final String INTROSPECTION_CLIENT_SECRET = "api-introspection-secret";
    /** A client whose access tokens are lightweight (no aud, no client_id): only introspection says what they are. */
    public static final String LIGHT_CLIENT_ID = "m2m-light-client";
    public static final String LIGHT_CLIENT_SECRET = "m2m-light-secret";

    private Keycloak() {
    }

    /** The issuer URL of one of the test realms. */
    public static String issuer(String realm) {
        return url() + "/realms/" + realm;
    }

    /** A client-credentials access token from a realm. */
    public static String token(String realm, String clientId, String secret, String scope) {
        return given().auth().preemptive().basic(clientId, secret)
                .formParam("grant_type", "client_credentials").formParam("scope", scope)
                .when().post(issuer(realm) + "/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    /** Revokes an access token at the m2m realm (RFC 7009), as the client it was issued to. */
    public static void revoke(String clientId, String secret, String token) {
        given().auth().preemptive().basic(clientId, secret)
                .formParam("token", token).formParam("token_type_hint", "access_token")
                .when().post(issuer() + "/protocol/openid-connect/revoke")
                .then().statusCode(200);
    }

    /** Set by failsafe (pom.xml) from the port the build started Keycloak on. */
    public static String url() {
        return System.getProperty("keycloak.url", "http://127.0.0.1:18180");
    }

    public static String issuer() {
        return url() + "/realms/m2m";
    }

    /** A client that authenticates with its TLS certificate ({@code tls_client_auth}) and gets tokens bound to it. */
    public static final String MTLS_CLIENT_ID = "m2m-mtls-client";

    /** Keycloak's HTTPS port, client certificates requested (src/test/keycloak/keycloak.sh). */
    public static String httpsUrl() {
        return System.getProperty("keycloak.https.url", "https://127.0.0.1:18543");
    }

    /** The token endpoint on the HTTPS port: where a client's certificate is asked for. */
    public static String mtlsTokenEndpoint() {
        return httpsUrl() + "/realms/m2m/protocol/openid-connect/token";
    }

    /**
     * A token bound to the certificate the client presented (RFC 8705 section 3), which also authenticated it (section
     * 2.1, {@code tls_client_auth}: no secret): {@code certificate} a name of {@link TestCertificates}.
     */
    public static String certificateBoundToken(String certificate, String scope) {
        try {
            java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                    .sslContext(TestCertificates.context(certificate)).build();
            java.net.http.HttpResponse<String> answer = client.send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create(mtlsTokenEndpoint()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id="
                            + MTLS_CLIENT_ID + "&scope=" + java.net.URLEncoder.encode(scope,
                                    java.nio.charset.StandardCharsets.UTF_8)))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new AssertionError("Keycloak answered " + answer.statusCode() + ": " + answer.body());
            }
            return io.restassured.path.json.JsonPath.from(answer.body()).getString("access_token");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
     * A client-credentials access token for a client with no secret: it proves itself with an assertion signed by
     * its private key ({@code private_key_jwt}, RFC 7523 section 2.2), as a caller's OIDC client does.
     */
    public static String tokenWithKey(String clientId, org.jose4j.jwk.PublicJsonWebKey key, String scope) {
        String tokenEndpoint = issuer() + "/protocol/openid-connect/token";
        try {
            org.jose4j.jwt.JwtClaims claims = new org.jose4j.jwt.JwtClaims();
            claims.setIssuer(clientId);
            claims.setSubject(clientId);
            claims.setAudience(tokenEndpoint);
            claims.setGeneratedJwtId();
            claims.setIssuedAtToNow();
            claims.setExpirationTimeMinutesInTheFuture(1);
            org.jose4j.jws.JsonWebSignature assertion = new org.jose4j.jws.JsonWebSignature();
            assertion.setPayload(claims.toJson());
            assertion.setKey(key.getPrivateKey());
            assertion.setKeyIdHeaderValue(key.getKeyId());
            assertion.setAlgorithmHeaderValue(key.getAlgorithm());
            return given().formParam("grant_type", "client_credentials").formParam("client_id", clientId)
                    .formParam("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                    .formParam("client_assertion", assertion.getCompactSerialization()).formParam("scope", scope)
                    .when().post(tokenEndpoint).then().statusCode(200).extract().path("access_token");
        } catch (org.jose4j.lang.JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A DPoP-bound access token and the key it is bound to, which makes the proofs to send with it. */
    public record DpopToken(String token, java.security.KeyPair key) {

        /** A new proof for one request with this token (RFC 9449 section 4.2, with {@code ath}). */
        public String proof(String method, String url) {
            return Keycloak.proof(key, method, url, token);
        }

        public String thumbprint() {
            try {
                return org.jose4j.jwk.PublicJsonWebKey.Factory.newPublicJwk(key.getPublic())
                        .calculateBase64urlEncodedThumbprint("SHA-256");
            } catch (org.jose4j.lang.JoseException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * A client-credentials access token bound to a fresh EC key (RFC 9449): the token request carries a DPoP proof,
     * and Keycloak (DPoP on by default in 26) answers with {@code token_type: DPoP} and {@code cnf.jkt} in the token.
     */
    public static DpopToken dpopBoundToken(String clientId, String secret, String scope) {
        try {
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
            generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
            return dpopBoundToken(clientId, secret, scope, generator.generateKeyPair());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same, bound to the given EC P-256 key. */
    public static DpopToken dpopBoundToken(String clientId, String secret, String scope, java.security.KeyPair pair) {
        String tokenEndpoint = issuer() + "/protocol/openid-connect/token";
        {
            var answer = given().auth().preemptive().basic(clientId, secret)
                    .header("DPoP", proof(pair, "POST", tokenEndpoint, null))
                    .formParam("grant_type", "client_credentials").formParam("scope", scope)
                    .when().post(tokenEndpoint).then().statusCode(200).extract();
            if (!"DPoP".equalsIgnoreCase(answer.path("token_type"))) {
                throw new IllegalStateException("Keycloak issued no DPoP-bound token: " + answer.path("token_type"));
            }
            return new DpopToken(answer.path("access_token"), pair);
        }
    }

    static String proof(java.security.KeyPair pair, String method, String url, String accessToken) {
        try {
            org.jose4j.jws.JsonWebSignature proof = new org.jose4j.jws.JsonWebSignature();
            proof.setHeader("typ", "dpop+jwt");
            proof.setAlgorithmHeaderValue("ES256");
            proof.setJwkHeader(org.jose4j.jwk.PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic()));
            org.jose4j.jwt.JwtClaims claims = new org.jose4j.jwt.JwtClaims();
            claims.setGeneratedJwtId();
            claims.setIssuedAtToNow();
            claims.setStringClaim("htm", method);
            claims.setStringClaim("htu", url);
            if (accessToken != null) {
                claims.setStringClaim("ath", TokenForge.tokenHash(accessToken));
            }
            proof.setPayload(claims.toJson());
            proof.setKey(pair.getPrivate());
            return proof.getCompactSerialization();
        } catch (org.jose4j.lang.JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
