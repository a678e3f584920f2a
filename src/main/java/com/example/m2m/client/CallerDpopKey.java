package com.example.m2m.client;

import java.net.URI;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

import com.example.m2m.config.ClientKeyFile;
import com.example.m2m.config.Setting;
import com.example.m2m.security.dpop.ProofRules;

/**
 * The caller's DPoP key (RFC 9449) when {@code TEST_CLIENT_DPOP=true}: a new EC P-256 key held in memory for the
 * process's life, or the key in {@code TEST_CLIENT_DPOP_KEY_FILE}. Makes the proofs ({@link #proof}) that
 * {@link DpopTokenRequests} puts on token requests and {@link DpopCalls} on API calls, and keeps the latest
 * {@code DPoP-Nonce} each server sent (section 8 and 9), to put in the next proof for it.
 */
@ApplicationScoped
public class CallerDpopKey {

    private final boolean enabled;
    private final PublicJsonWebKey key;
    private final String algorithm;
    /** The last nonce per origin ({@code scheme://host:port}). */
    private final Map<String, String> nonces = new ConcurrentHashMap<>();

    @Inject
    public CallerDpopKey(@ConfigProperty(name = "api.caller.dpop") boolean enabled,
            @ConfigProperty(name = "api.caller.dpop-key-file") Optional<String> keyFile) {
        this.enabled = enabled;
        this.key = !enabled ? null
                : keyFile.map(String::strip).filter(path -> !path.isEmpty())
                        .map(path -> ClientKeyFile.keyPair(Setting.TEST_CLIENT_DPOP_KEY_FILE.name(), path))
                        .orElseGet(CallerDpopKey::newKey);
        this.algorithm = key == null ? null : algorithmOf(key);
    }

    public boolean enabled() {
        return enabled;
    }

    /** The RFC 7638 thumbprint of the public key: the {@code cnf.jkt} of tokens bound to it. */
    public String thumbprint() {
        return key.calculateBase64urlEncodedThumbprint("SHA-256");
    }

    /**
     * A new proof for one request: {@code htm}, {@code htu} (the URL without query and fragment), a fresh {@code jti},
     * {@code iat} now, {@code ath} when an access token goes with it, and the origin's last nonce if it sent one.
     */
    public String proof(String method, String url, String accessToken) {
        try {
            URI uri = URI.create(url);
            JwtClaims claims = new JwtClaims();
            claims.setJwtId(UUID.randomUUID().toString());
            claims.setStringClaim("htm", method);
            claims.setStringClaim("htu", new URI(uri.getScheme(), uri.getRawAuthority(), uri.getRawPath(), null, null)
                    .toString());
            claims.setIssuedAtToNow();
            if (accessToken != null) {
                claims.setStringClaim("ath", ProofRules.tokenHash(accessToken));
            }
            String nonce = nonces.get(origin(uri));
            if (nonce != null) {
                claims.setStringClaim("nonce", nonce);
            }
            JsonWebSignature proof = new JsonWebSignature();
            proof.setHeader("typ", "dpop+jwt");
            proof.setAlgorithmHeaderValue(algorithm);
            proof.setJwkHeader(PublicJsonWebKey.Factory.newPublicJwk(key.getPublicKey()));
            proof.setPayload(claims.toJson());
            proof.setKey(key.getPrivateKey());
            return proof.getCompactSerialization();
        } catch (JoseException | java.net.URISyntaxException e) {
            throw new IllegalStateException("Cannot make a DPoP proof for " + method + " " + url, e);
        }
    }

    /** Remembers the {@code DPoP-Nonce} a server answered with, for the next proof sent to it. */
    public void nonce(String url, String nonce) {
        if (nonce != null && !nonce.isBlank()) {
            nonces.put(origin(URI.create(url)), nonce.strip());
        }
    }

    private static String origin(URI uri) {
        return (uri.getScheme() + "://" + uri.getRawAuthority()).toLowerCase(java.util.Locale.ROOT);
    }

    private static PublicJsonWebKey newKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            java.security.KeyPair pair = generator.generateKeyPair();
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic());
            jwk.setPrivateKey(pair.getPrivate());
            return jwk;
        } catch (java.security.GeneralSecurityException | JoseException e) {
            throw new IllegalStateException("Cannot make an EC P-256 key", e);
        }
    }

    /** ES256/384/512 by the curve; PS256 for RSA (RSASSA-PSS: what RFC 9449's examples and Keycloak default to). */
    private static String algorithmOf(PublicJsonWebKey key) {
        if (key instanceof EllipticCurveJsonWebKey ec) {
            return switch (ec.getCurveName()) {
                case "P-384" -> AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384;
                case "P-521" -> AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512;
                default -> AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256;
            };
        }
        return AlgorithmIdentifiers.RSA_PSS_USING_SHA256;
    }
}
