package com.example.m2m.security.crypto;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;

import org.junit.jupiter.api.Test;

/** The one length a JWS signature may have for its key. */
class SignatureLengthTest {

    private static PublicKey ec(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair().getPublic();
    }

    @Test
    void ecdsaIsRAndSAtTheCurvesSize() throws Exception {
        PublicKey p256 = ec("secp256r1");
        assertTrue(SignatureLength.fits(p256, new byte[64]));
        for (int length : new int[] { 0, 62, 63, 65, 70, 72 }) {
            assertFalse(SignatureLength.fits(p256, new byte[length]), length + " bytes");
        }
        assertTrue(SignatureLength.fits(ec("secp384r1"), new byte[96]));
        assertTrue(SignatureLength.fits(ec("secp521r1"), new byte[132]), "P-521: 66 bytes each");
    }

    @Test
    void rsaIsTheModulusLength() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        PublicKey rsa = generator.generateKeyPair().getPublic();
        assertTrue(SignatureLength.fits(rsa, new byte[256]));
        assertFalse(SignatureLength.fits(rsa, new byte[255]));
        assertFalse(SignatureLength.fits(rsa, new byte[257]));
    }
}
