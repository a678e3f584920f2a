package com.example.m2m.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
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

    public TokenForge(LocalIssuer issuer, LocalIssuer attacker) {
        this.issuer = issuer;
        this.attacker = attacker;
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

    public static JsonObject without(JsonObject object, String name) {
        object.remove(name);
        return object;
    }
}
