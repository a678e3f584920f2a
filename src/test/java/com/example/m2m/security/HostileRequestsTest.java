package com.example.m2m.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.example.m2m.testsupport.InjectLocalIssuer;
import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.LocalIssuerResource;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;

/**
 * Hostile or broken requests, each with the answer it must get: never a 200 it should not get, never a 500.
 * Every refusal must carry an RFC 6750 challenge with the right error code and an RFC 9457 body. Afterwards, the log
 * of the whole run must not contain any token or any JWT-shaped string.
 */
@QuarkusTest
@WithTestResource(LocalIssuerResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileRequestsTest {

    private static final String PROTECTED = "/api/messages/protected";
    private static final Path LOG = Path.of("target", "test-logs", "quarkus.log");
    private static final Pattern JWT_SHAPE = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}");

    /** Every token this suite sends, to look for in the log afterwards. */
    private static final List<String> SENT = new ArrayList<>();

    @InjectLocalIssuer
    LocalIssuer issuer;

    /** The attacker's own issuer: its JWKS must never be fetched. */
    private static LocalIssuer attacker;

    /**
     * A hostile case: what to send, and the answer. {@code error}: the RFC 6750 error code the challenge must carry,
     * "" for a challenge without one, null where no challenge is expected.
     */
    record Case(String name, Function<HostileRequestsTest, RequestSpecification> request, String path, int status,
            String error) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeEach
    void startAttacker() {
        if (attacker == null) {
            attacker = LocalIssuer.start();
        }
    }

    @AfterAll
    void stopAttackerAndCheckLogs() throws IOException {
        assertEquals(0, attacker.jwksFetches(), "a key location named in a token header was fetched");
        attacker.close();
        assertTrue(Files.exists(LOG), "the test log file " + LOG);
        List<String> lines = Files.readAllLines(LOG, StandardCharsets.UTF_8);
        for (String line : lines) {
            assertFalse(JWT_SHAPE.matcher(line).find(), "a JWT in the log: " + line);
            for (String token : SENT) {
                if (token.length() >= 16) {
                    assertFalse(line.contains(token), "a sent token in the log: " + line);
                }
            }
        }
    }

    // ---- token makers ----

    private JsonObject claims() {
        long now = System.currentTimeMillis() / 1000;
        return new JsonObject().put("iss", issuer.url()).put("sub", "caller").put("client_id", "caller")
                .put("aud", "api://messages").put("scope", "read:messages").put("iat", now).put("exp", now + 300);
    }

    private String signed(JsonObject claims, Map<String, Object> headers, Key key, String alg) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.encode());
            jws.setAlgorithmHeaderValue(alg);
            jws.setKey(key);
            jws.setDoKeyValidation(false);
            headers.forEach((name, value) -> jws.getHeaders().setObjectHeaderValue(name, value));
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private String good(JsonObject claims) {
        return signed(claims, Map.of("kid", issuer.currentKey().kid()), issuer.currentKey().pair().getPrivate(),
                AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    private String good() {
        return good(claims());
    }

    private String withHeader(Map<String, Object> headers, LocalIssuer.SigningKey key) {
        return signed(claims(), headers, key.pair().getPrivate(), AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String part(String token, int index) {
        return token.split("\\.", -1)[index];
    }

    private static RequestSpecification bearer(String token) {
        SENT.add(token);
        return given().header("Authorization", "Bearer " + token);
    }

    private static RequestSpecification header(String value) {
        return given().header("Authorization", value);
    }

    private static Case c(String name, Function<HostileRequestsTest, RequestSpecification> request, int status,
            String error) {
        return new Case(name, request, PROTECTED, status, error);
    }

    static Stream<Case> cases() {
        return Stream.of(
                // the Authorization header itself
                c("no Authorization header", t -> given(), 401, ""),
                c("Bearer without credentials", t -> header("Bearer"), 400, "invalid_request"),
                c("Bearer with only spaces", t -> header("Bearer    "), 400, "invalid_request"),
                c("Bearer with two words", t -> header("Bearer abc def"), 400, "invalid_request"),
                c("Bearer with characters outside b64token", t -> header("Bearer abc$def"), 400, "invalid_request"),
                c("bad base64url in the payload", t -> header("Bearer " + part(t.good(), 0) + ".eyJ*!@." + part(t.good(), 2)),
                        400, "invalid_request"),
                c("two Authorization headers", t -> given().header("Authorization", "Bearer " + t.good())
                        .header("Authorization", "Bearer " + t.good()), 400, "invalid_request"),
                c("Basic credentials", t -> header("Basic dXNlcjpwYXNz"), 401, ""),
                c("a token without a scheme", t -> header(t.good()), 401, ""),
                c("a tab instead of a space", t -> header("Bearer\t" + t.good()), 401, ""),
                c("token in the query string is ignored", t -> given().queryParam("access_token", t.good()), 401, ""),
                c("token in a form-like header is ignored", t -> given().header("access_token", t.good()), 401, ""),
                c("empty bearer string of dots", t -> bearer(".."), 401, "invalid_token"),
                // signature and algorithm
                c("alg none, no signature", t -> bearer(b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "."
                        + part(t.good(), 1) + "."), 401, "invalid_token"),
                c("alg none, signature kept", t -> bearer(b64("{\"alg\":\"none\"}") + "." + part(t.good(), 1) + "."
                        + part(t.good(), 2)), 401, "invalid_token"),
                c("alg NONE in capitals", t -> bearer(b64("{\"alg\":\"NONE\"}") + "." + part(t.good(), 1) + "."),
                        401, "invalid_token"),
                c("HS256 signed with the RSA public key as the secret", t -> bearer(t.signed(t.claims(),
                        Map.of("kid", t.issuer.currentKey().kid()),
                        new HmacKey(((RSAPublicKey) t.issuer.currentKey().pair().getPublic()).getEncoded()),
                        AlgorithmIdentifiers.HMAC_SHA256)), 401, "invalid_token"),
                c("HS256 with a guessed secret", t -> bearer(t.signed(t.claims(), Map.of("kid", "key-1"),
                        new HmacKey("secretsecretsecretsecretsecretse".getBytes(StandardCharsets.UTF_8)),
                        AlgorithmIdentifiers.HMAC_SHA256)), 401, "invalid_token"),
                c("signed with an unpublished key, same kid", t -> bearer(t.withHeader(
                        Map.of("kid", t.issuer.currentKey().kid()), LocalIssuer.newKey("x"))), 401, "invalid_token"),
                c("unknown kid", t -> bearer(t.withHeader(Map.of("kid", "no-such-key"), LocalIssuer.newKey("x"))),
                        401, "invalid_token"),
                c("no kid at all, foreign key", t -> bearer(t.withHeader(Map.of(), LocalIssuer.newKey("x"))), 401,
                        "invalid_token"),
                c("kid with path characters", t -> bearer(t.withHeader(Map.of("kid", "../../../etc/passwd"),
                        LocalIssuer.newKey("x"))), 401, "invalid_token"),
                c("kid that is a URL", t -> bearer(t.withHeader(Map.of("kid", t.attackerJwks()),
                        LocalIssuer.newKey("x"))), 401, "invalid_token"),
                c("kid of 4,000 characters", t -> bearer(t.withHeader(Map.of("kid", "k".repeat(4000)),
                        LocalIssuer.newKey("x"))), 401, "invalid_token"),
                c("jku pointing at the attacker's JWKS", t -> bearer(t.withHeader(Map.of("kid", "key-1",
                        "jku", t.attackerJwks()), t.attackerKey())), 401, "invalid_token"),
                c("x5u pointing at the attacker", t -> bearer(t.withHeader(Map.of("kid", "key-1",
                        "x5u", attacker.url() + "/cert.pem"), t.attackerKey())), 401, "invalid_token"),
                c("jwk header embedding the attacker's key", t -> bearer(t.withHeader(Map.of("kid", "key-1",
                        "jwk", t.attackerJwk()), t.attackerKey())), 401, "invalid_token"),
                c("crit header with an unknown extension", t -> bearer(t.signed(t.claims(), Map.of("kid",
                        t.issuer.currentKey().kid(), "crit", List.of("x-unknown"), "x-unknown", true),
                        t.issuer.currentKey().pair().getPrivate(), AlgorithmIdentifiers.RSA_USING_SHA256)), 401,
                        "invalid_token"),
                // claims
                c("expired", t -> bearer(t.good(t.claims().put("iat", now() - 900).put("exp", now() - 600))), 401,
                        "invalid_token"),
                c("nbf in the future", t -> bearer(t.good(t.claims().put("nbf", now() + 600))), 401, "invalid_token"),
                c("iat a day in the future", t -> bearer(t.good(t.claims().put("iat", now() + 86400)
                        .put("exp", now() + 90000))), 401, "invalid_token"),
                c("missing exp", t -> bearer(t.good(without(t.claims(), "exp"))), 401, "invalid_token"),
                c("exp as a string", t -> bearer(t.good(t.claims().put("exp", "tomorrow"))), 401, "invalid_token"),
                c("missing iat", t -> bearer(t.good(without(t.claims(), "iat"))), 401, "invalid_token"),
                c("wrong issuer, right key", t -> bearer(t.good(t.claims().put("iss", "https://evil.example"))), 401,
                        "invalid_token"),
                c("issuer with a trailing slash added", t -> bearer(t.good(t.claims().put("iss", t.issuer.url() + "/"))),
                        401, "invalid_token"),
                c("missing issuer", t -> bearer(t.good(without(t.claims(), "iss"))), 401, "invalid_token"),
                c("wrong audience", t -> bearer(t.good(t.claims().put("aud", "api://other"))), 401, "invalid_token"),
                c("missing audience", t -> bearer(t.good(without(t.claims(), "aud"))), 401, "invalid_token"),
                c("a token from another issuer with the same kid", t -> bearer(attacker.sign(
                        attacker.claims("caller").claim("scope", "read:messages"))), 401, "invalid_token"),
                // structure
                c("tampered payload", t -> bearer(part(t.good(), 0) + "." + b64(t.claims()
                        .put("scope", "read:messages admin:messages").encode()) + "." + part(t.good(), 2)), 401,
                        "invalid_token"),
                c("tampered header", t -> bearer(b64("{\"alg\":\"RS256\",\"kid\":\"key-1\",\"typ\":\"JWT\"}")
                        + "." + part(t.good(), 1) + "." + part(t.good(), 2)), 401, "invalid_token"),
                c("signature stripped", t -> bearer(part(t.good(), 0) + "." + part(t.good(), 1) + "."), 401,
                        "invalid_token"),
                c("another token's signature", t -> {
                    String a = t.good();
                    String b = t.good(t.claims().put("sub", "someone-else"));
                    return bearer(part(a, 0) + "." + part(a, 1) + "." + part(b, 2));
                }, 401, "invalid_token"),
                c("truncated to two segments", t -> bearer(part(t.good(), 0) + "." + part(t.good(), 1)), 401,
                        "invalid_token"),
                c("one segment", t -> bearer(part(t.good(), 0)), 401, "invalid_token"),
                c("an extra fourth segment", t -> bearer(t.good() + ".AAAA"), 401, "invalid_token"),
                c("a JWE (five segments)", t -> bearer(b64("{\"alg\":\"RSA-OAEP\",\"enc\":\"A256GCM\",\"kid\":\"key-1\"}")
                        + ".AAAA.AAAA.AAAA.AAAA"), 401, "invalid_token"),
                c("payload is not JSON", t -> bearer(part(t.good(), 0) + "." + b64("hello") + "." + part(t.good(), 2)),
                        401, "invalid_token"),
                c("header is not JSON", t -> bearer(b64("hello") + "." + part(t.good(), 1) + "." + part(t.good(), 2)),
                        401, "invalid_token"),
                c("payload is a JSON array", t -> bearer(part(t.good(), 0) + "." + b64("[1,2]") + "."
                        + part(t.good(), 2)), 401, "invalid_token"),
                c("an opaque string", t -> bearer("not-a-jwt"), 401, "invalid_token"),
                c("a 9 KB token", t -> bearer("a".repeat(9 * 1024)), 401, "invalid_token"),
                // scopes
                c("scope as a number", t -> bearer(t.good(t.claims().put("scope", 42))), 403, "insufficient_scope"),
                c("a scope that only contains the needed one", t -> bearer(t.good(t.claims()
                        .put("scope", "read:messages:all"))), 403, "insufficient_scope"),
                new Case("read scope on the admin endpoint", t -> bearer(t.good()), "/api/messages/admin", 403,
                        "insufficient_scope"),
                new Case("no scope on GET /", t -> bearer(t.good(without(t.claims(), "scope"))), "/", 403,
                        "insufficient_scope"),
                // accepted
                c("lower-case scheme is accepted", t -> header("bearer " + t.good()), 200, null),
                c("upper-case scheme is accepted", t -> header("BEARER " + t.good()), 200, null),
                c("the valid token itself", t -> bearer(t.good()), 200, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void hostileRequestGetsItsAnswer(Case hostile) {
        Response response = hostile.request().apply(this).when().get(hostile.path());
        int status = response.statusCode();
        assertNotEquals(500, status, hostile.name());
        assertEquals(hostile.status(), status, hostile.name() + ": " + response.asString());
        if (status >= 400) {
            String challenge = response.header("WWW-Authenticate");
            assertNotNull(challenge, hostile.name() + ": no challenge");
            assertTrue(challenge.startsWith("Bearer realm=\"m2m-api\""), challenge);
            assertTrue(challenge.contains("resource_metadata=\""), challenge);
            if (hostile.error().isEmpty()) {
                assertFalse(challenge.contains("error="), "no error code without a token: " + challenge);
            } else {
                assertTrue(challenge.contains("error=\"" + hostile.error() + "\""), challenge);
            }
            assertTrue(response.contentType().startsWith("application/problem+json"), response.contentType());
            JsonObject problem = new JsonObject(response.asString());
            assertEquals(status, problem.getInteger("status"));
            if (!hostile.error().isEmpty()) {
                assertEquals(hostile.error(), problem.getString("error"));
            }
        }
    }

    @Test
    void aHundredKilobyteTokenIsRefusedWithoutAServerError() {
        String huge = "a".repeat(100 * 1024);
        int status = given().header("Authorization", "Bearer " + huge).when().get(PROTECTED).statusCode();
        assertTrue(status == 431 || status == 400 || status == 401, "status " + status);
    }

    @Test
    void insufficientScopeNamesTheScopeTheEndpointNeeds() {
        String challenge = bearer(good()).when().get("/api/messages/admin").then().statusCode(403)
                .extract().header("WWW-Authenticate");
        assertTrue(challenge.contains("scope=\"admin:messages\""), challenge);
        String root = bearer(good(without(claims(), "scope"))).when().get("/").then().statusCode(403)
                .extract().header("WWW-Authenticate");
        assertTrue(root.contains("scope=\"read:messages\""), root);
    }

    @Test
    void expiredTokenSaysSoInTheChallenge() {
        String challenge = bearer(good(claims().put("iat", now() - 900).put("exp", now() - 600))).when().get(PROTECTED)
                .then().statusCode(401).extract().header("WWW-Authenticate");
        assertTrue(challenge.contains("error_description=\"The token has expired\""), challenge);
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static JsonObject without(JsonObject claims, String name) {
        claims.remove(name);
        return claims;
    }

    private String attackerJwks() {
        return attacker.url() + "/jwks";
    }

    private LocalIssuer.SigningKey attackerKey() {
        return attacker.currentKey();
    }

    private Map<String, Object> attackerJwk() {
        try {
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(attacker.currentKey().pair().getPublic());
            return jwk.toParams(org.jose4j.jwk.JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
