package com.example.m2m.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * A machine client's private key for {@code private_key_jwt} (RFC 7523 section 2.2, OpenID Connect Core 9): a PEM
 * file (PKCS#8, RSA or EC) or a JWK with its private part. Read once at start-up, to refuse a file that holds no
 * usable private key in one line, and to give Quarkus' OIDC client the two things it cannot work out from the file
 * itself: the assertion's {@code alg} (an EC key signs ES256/384/512, an RSA key RS256) and, for a JWK, its
 * {@code kid} (Quarkus puts a {@code kid} in the header only when told one).
 */
public record ClientKeyFile(String algorithm, String keyId) {

    static final long MAX_BYTES = 64 * 1024;

    /** The key in this file, or an {@link IllegalArgumentException} with a one-line reason naming the setting. */
    public static ClientKeyFile read(String setting, String path) {
        String text = text(setting, path, Setting.Kind.PRIVATE_KEY);
        try {
            return text.startsWith("{") ? fromJwk(text) : fromPem(text);
        } catch (GeneralSecurityException | JoseException | RuntimeException e) {
            throw refused(setting, path, Setting.Kind.PRIVATE_KEY);
        }
    }

    /**
     * The key pair in a file for signing DPoP proofs, whose header carries the public key: a private JWK (EC or RSA),
     * or a PKCS#8 PEM RSA key (its public half is in it). Not a PEM EC key: PKCS#8 need not carry the public point,
     * and the JDK has no way to compute it from the private one.
     */
    public static PublicJsonWebKey keyPair(String setting, String path) {
        String text = text(setting, path, Setting.Kind.DPOP_KEY);
        try {
            if (text.startsWith("{")) {
                JsonWebKey jwk = JsonWebKey.Factory.newJwk(text);
                if (jwk instanceof PublicJsonWebKey pair && pair.getPrivateKey() != null) {
                    return pair;
                }
            } else if (pem(text) instanceof java.security.interfaces.RSAPrivateCrtKey rsa) {
                PublicJsonWebKey pair = PublicJsonWebKey.Factory.newPublicJwk(KeyFactory.getInstance("RSA")
                        .generatePublic(new java.security.spec.RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent())));
                pair.setPrivateKey(rsa);
                return pair;
            }
        } catch (GeneralSecurityException | JoseException | RuntimeException e) {
            // refused below
        }
        throw refused(setting, path, Setting.Kind.DPOP_KEY);
    }

    private static String text(String setting, String path, Setting.Kind kind) {
        try {
            Path file = Path.of(path);
            // A key is a few KB: a device (/dev/zero), a directory or a huge file is a mistake, not something to read.
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_BYTES) {
                throw refused(setting, path, kind);
            }
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException e) {
            throw refused(setting, path, kind);
        }
    }

    private static IllegalArgumentException refused(String setting, String path, Setting.Kind kind) {
        return new IllegalArgumentException(setting + " must be " + kind.rule + " ('" + path + "' is not)");
    }

    private static ClientKeyFile fromJwk(String json) throws JoseException, GeneralSecurityException {
        JsonWebKey jwk = JsonWebKey.Factory.newJwk(json);
        if (!(jwk instanceof PublicJsonWebKey pair) || pair.getPrivateKey() == null) {
            throw new GeneralSecurityException("no private part");
        }
        String algorithm = jwk.getAlgorithm() != null ? jwk.getAlgorithm() : algorithmOf(pair.getPrivateKey());
        return new ClientKeyFile(algorithm, jwk.getKeyId());
    }

    // By hand rather than smallrye-jwt's KeyUtils (which Quarkus uses to load the key): KeyUtils needs the algorithm
    // before it can decode a PEM, and the algorithm is what this reads the file to find out.
    private static ClientKeyFile fromPem(String pem) throws GeneralSecurityException {
        return new ClientKeyFile(algorithmOf(pem(pem)), null);
    }

    private static PrivateKey pem(String pem) throws GeneralSecurityException {
        if (!pem.startsWith("-----BEGIN PRIVATE KEY-----")) {
            throw new GeneralSecurityException("not PKCS#8");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String type : new String[] { "RSA", "EC" }) {
            try {
                return KeyFactory.getInstance(type).generatePrivate(spec);
            } catch (java.security.spec.InvalidKeySpecException e) {
                // try the next type
            }
        }
        throw new GeneralSecurityException("neither RSA nor EC");
    }

    /** The signature algorithm that fits the key: ES256/384/512 by the EC curve's size, RS256 for RSA. */
    static String algorithmOf(PrivateKey key) {
        if (key instanceof ECPrivateKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return bits <= 256 ? "ES256" : bits <= 384 ? "ES384" : "ES512";
        }
        return "RS256";
    }
}
