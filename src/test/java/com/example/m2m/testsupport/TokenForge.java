package com.example.m2m.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

import io.vertx.core.json.JsonObject;

/**
 * Makes tokens byte by byte for the hostile cases: any header and payload text (duplicate members, wrong types,
 * odd encodings), signed with the issuer's real key or any other, so that each case breaks exactly one rule.
 */
public final class TokenForge {

    private final LocalIssuer issuer;
    private final LocalIssuer attacker;

    /** Where bound tokens come from: null for tokens signed here by the local issuer. */
    private final java.util.function.Function<KeyPair, String> boundTokenSource;

    public TokenForge(LocalIssuer issuer, LocalIssuer attacker) {
        this(issuer, attacker, null);
    }

    /** A forge whose bound tokens come from a real authorization server, bound to the forge's keys by it. */
    public static TokenForge boundBy(java.util.function.Function<KeyPair, String> boundTokenSource) {
        return new TokenForge(null, null, boundTokenSource);
    }

    private TokenForge(LocalIssuer issuer, LocalIssuer attacker,
            java.util.function.Function<KeyPair, String> boundTokenSource) {
        this.issuer = issuer;
        this.attacker = attacker;
        this.boundTokenSource = boundTokenSource;
    }

    public LocalIssuer issuer() {
        return issuer;
    }

    public LocalIssuer attacker() {
        return attacker;
    }

    public static long now() {
        return System.currentTimeMillis() / 1000;
    }

    /** The claims of a valid token for {@code /api/messages/protected}. */
    public JsonObject claims() {
        long now = now();
        return new JsonObject().put("iss", issuer.url()).put("sub", "caller").put("client_id", "caller")
                .put("aud", "api://messages").put("scope", "read:messages").put("iat", now).put("exp", now + 300);
    }

    /** The header of a valid token: RS256 with the issuer's current key. */
    public JsonObject header() {
        return new JsonObject().put("alg", "RS256").put("kid", issuer.currentKey().kid());
    }

    /** A valid token. */
    public String good() {
        return token(header(), claims());
    }

    /** Header and claims as given, RS256-signed with the issuer's current key (whatever the header's alg says). */
    public String token(JsonObject header, JsonObject claims) {
        return signEncoded(b64(header.encode()), b64(claims.encode()), issuer.currentKey().pair().getPrivate());
    }

    /** Header and payload text as given (duplicates, odd JSON), RS256-signed with the issuer's current key. */
    public String raw(String headerJson, String payloadJson) {
        return signEncoded(b64(headerJson), b64(payloadJson), issuer.currentKey().pair().getPrivate());
    }

    /** Already encoded segments, RS256-signed with the given key. */
    public static String signEncoded(String header, String payload, PrivateKey key) {
        return signEncoded(header, payload, key, "SHA256withRSA");
    }

    public static String signEncoded(String header, String payload, PrivateKey key, String javaAlgorithm) {
        try {
            Signature signature = Signature.getInstance(javaAlgorithm);
            if (javaAlgorithm.startsWith("RSASSA-PSS")) {
                signature.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                        java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            }
            signature.initSign(key);
            signature.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + b64(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String b64(String text) {
        return b64(text.getBytes(StandardCharsets.UTF_8));
    }

    public static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String part(String token, int index) {
        return token.split("\\.", -1)[index];
    }

    /** The public JWK of the attacker's key, to embed in a {@code jwk} header. */
    public Map<String, Object> attackerJwk() {
        try {
            return PublicJsonWebKey.Factory.newPublicJwk(attacker.currentKey().pair().getPublic())
                    .toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- DPoP (RFC 9449): keys, bound tokens and proofs ----

    private final Map<String, KeyPair> dpopKeys = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String> boundTokens = new java.util.concurrent.ConcurrentHashMap<>();

    /** A DPoP key by name, made once per forge: "ec" (P-256), "ec384", "rsa" (2048), "rsa1024", "other" (P-256). */
    public KeyPair dpopKey(String name) {
        return dpopKeys.computeIfAbsent(name, n -> {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance(n.startsWith("rsa") ? "RSA" : "EC");
                if (n.startsWith("rsa")) {
                    generator.initialize(n.equals("rsa1024") ? 1024 : 2048);
                } else {
                    generator.initialize(new ECGenParameterSpec(n.equals("ec384") ? "secp384r1" : "secp256r1"));
                }
                return generator.generateKeyPair();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The public JWK of a key, as JSON. */
    public static JsonObject publicJwk(KeyPair pair) {
        try {
            return new JsonObject(PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic())
                    .toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JWK of a key pair with its private part. */
    public static JsonObject privateJwk(KeyPair pair) {
        try {
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic());
            jwk.setPrivateKey(pair.getPrivate());
            return new JsonObject(jwk.toParams(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The RFC 7638 thumbprint of a key: the {@code cnf.jkt} of tokens bound to it. */
    public static String thumbprint(KeyPair pair) {
        try {
            return PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic()).calculateBase64urlEncodedThumbprint("SHA-256");
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid token bound to the named DPoP key ({@code cnf.jkt}), made once per forge. */
    public String boundToken(String keyName) {
        return boundTokens.computeIfAbsent(keyName, n -> boundTokenSource != null
                ? boundTokenSource.apply(dpopKey(n))
                : token(header(), claims().put("cnf", new JsonObject().put("jkt", thumbprint(dpopKey(n))))));
    }

    /** The header of a valid proof by the named key: typ, alg (ES256 or RS256 by the key) and its public jwk. */
    public JsonObject proofHeader(String keyName) {
        KeyPair pair = dpopKey(keyName);
        String alg = pair.getPublic() instanceof java.security.interfaces.ECPublicKey ec
                ? (ec.getParams().getCurve().getField().getFieldSize() > 256 ? "ES384" : "ES256") : "RS256";
        return new JsonObject().put("typ", "dpop+jwt").put("alg", alg).put("jwk", publicJwk(pair));
    }

    /** The claims of a valid proof for a GET of {@code path} on the API under test, with {@code token}. */
    public static JsonObject proofClaims(String path, String token) {
        return new JsonObject().put("jti", java.util.UUID.randomUUID().toString()).put("htm", "GET")
                .put("htu", apiUrl(path)).put("iat", now()).put("ath", tokenHash(token));
    }

    /** The absolute URL of a path on the API as RestAssured reaches it (what the service sees as the request URI). */
    public static String apiUrl(String path) {
        return io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port + path;
    }

    public static String tokenHash(String token) {
        try {
            return b64(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A proof with this header and these claims as given, signed by the named key with the header's alg. */
    public String proof(JsonObject header, JsonObject claims, String keyName) {
        return signJose(header.encode(), claims.encode(), dpopKey(keyName).getPrivate());
    }

    /**
     * Header and payload JSON as given, signed by jose4j with the header's {@code alg} and any key: no algorithm or key
     * checks, so that a proof can be wrong in exactly one way (an EC signature in JOSE form, unlike
     * {@link #signEncoded}).
     */
    public static String signJose(String headerJson, String payloadJson, java.security.Key key) {
        try {
            org.jose4j.jws.JsonWebSignature jws = new org.jose4j.jws.JsonWebSignature();
            jws.getHeaders().setFullHeaderAsJsonString(headerJson);
            jws.setPayload(payloadJson);
            jws.setKey(key);
            jws.setDoKeyValidation(false);
            jws.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonObject without(JsonObject object, String name) {
        object.remove(name);
        return object;
    }
}
