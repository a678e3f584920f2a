package com.example.m2m.security.crypto;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;

/**
 * The one length a JWS signature may have for its key, checked before any provider sees it, because providers
 * differ on the others: an ECDSA signature is R || S, each exactly the curve's size (RFC 7518 section 3.4: 64 bytes
 * for P-256; jose4j takes shorter ones, a DER signature is longer); an RSA signature is exactly the modulus' length
 * (RFC 8017 section 8.2.2 step 1; Bouncy Castle takes shorter ones, the JDK's does not).
 */
public final class SignatureLength {

    private SignatureLength() {
    }

    public static boolean fits(PublicKey key, byte[] signature) {
        if (key instanceof ECPublicKey ec) {
            return signature.length == 2 * bytes(ec.getParams().getCurve().getField().getFieldSize());
        }
        if (key instanceof RSAPublicKey rsa) {
            return signature.length == bytes(rsa.getModulus().bitLength());
        }
        return false;
    }

    private static int bytes(int bits) {
        return (bits + 7) / 8;
    }
}
