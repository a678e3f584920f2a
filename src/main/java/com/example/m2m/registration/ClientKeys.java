package com.example.m2m.registration;

import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

/**
 * The public keys a {@code private_key_jwt} client signs its assertions with (RFC 7523, RFC 7591 {@code jwks} /
 * {@code jwks_uri}): one of the two is set. jose4j parses the JWKs; what it does not refuse, and a registration must,
 * is written here: private parts, symmetric keys, weak RSA, unknown curves, keys for encryption.
 */
public record ClientKeys(Map<String, Object> jwks, String jwksUri) {

    static final int MAX_KEYS = 10;
    private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");
    private static final Set<String> CURVES = Set.of("P-256", "P-384", "P-521");

    /** The key set with each key's public members only, or a {@link RegistrationRules.Refusal} naming what is wrong. */
    static Map<String, Object> publicSigningKeys(Map<String, Object> jwks) {
        if (!(jwks.get("keys") instanceof List<?> keys) || keys.isEmpty() || keys.size() > MAX_KEYS) {
            throw new RegistrationRules.Refusal("jwks must be a JWK set: {\"keys\": [1 to " + MAX_KEYS + " keys]}");
        }
        List<Map<String, Object>> publicKeys = new ArrayList<>();
        for (Object key : keys) {
            if (!(key instanceof Map<?, ?> members)) {
                throw new RegistrationRules.Refusal("jwks.keys must hold JSON objects");
            }
            if (members.keySet().stream().anyMatch(PRIVATE_MEMBERS::contains)) {
                throw new RegistrationRules.Refusal("jwks holds a private or symmetric key: send the public key only");
            }
            publicKeys.add(publicSigningKey(members));
        }
        return Map.of("keys", publicKeys);
    }

    @SuppressWarnings("unchecked") // a JSON object from Jackson: string keys
    private static Map<String, Object> publicSigningKey(Map<?, ?> members) {
        JsonWebKey jwk;
        try {
            jwk = JsonWebKey.Factory.newJwk(JsonUtil.toJson((Map<String, ?>) members));
        } catch (JoseException | RuntimeException e) {
            throw new RegistrationRules.Refusal("jwks holds a key that is not a valid JWK");
        }
        if (!(jwk instanceof PublicJsonWebKey)) {
            throw new RegistrationRules.Refusal("jwks keys must be RSA or EC public keys");
        }
        if (jwk.getUse() != null && !"sig".equals(jwk.getUse())) {
            throw new RegistrationRules.Refusal("jwks keys must be for signing (use \"sig\")");
        }
        if (jwk instanceof RsaJsonWebKey rsa && ((RSAPublicKey) rsa.getPublicKey()).getModulus().bitLength() < 2048) {
            throw new RegistrationRules.Refusal("jwks RSA keys must be 2048 bits or more");
        }
        if (jwk instanceof EllipticCurveJsonWebKey ec && !CURVES.contains(ec.getCurveName())) {
            throw new RegistrationRules.Refusal("jwks EC keys must be on P-256, P-384 or P-521");
        }
        Map<String, Object> publicKey = jwk.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        // Optional in RFC 7517, but Keycloak ignores a client key without it ("no key of supported keyType for use
        // sig"); every key here is checked to be a signing key, so saying so is true for any server.
        publicKey.putIfAbsent("use", "sig");
        return publicKey;
    }
}
