package com.example.m2m.security;

import java.security.Key;
import java.security.PublicKey;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * The RFC 7638 SHA-256 thumbprint of a public key: what identifies a key whatever {@code kid} it is published under.
 * Remembered per key object (the issuer publishes a handful), since every verification asks for it.
 */
public final class KeyThumbprint {

    private static final Map<Key, String> KNOWN = Collections.synchronizedMap(new WeakHashMap<>());

    private KeyThumbprint() {
    }

    /** The thumbprint, or null for a key that is not a public key. */
    public static String of(Key key) {
        if (!(key instanceof PublicKey publicKey)) {
            return null;
        }
        String known = KNOWN.get(key);
        if (known != null) {
            return known;
        }
        try {
            String thumbprint = PublicJsonWebKey.Factory.newPublicJwk(publicKey)
                    .calculateBase64urlEncodedThumbprint("SHA-256");
            if (KNOWN.size() < 64) {
                KNOWN.put(key, thumbprint);
            }
            return thumbprint;
        } catch (JoseException e) {
            return null;
        }
    }
}
