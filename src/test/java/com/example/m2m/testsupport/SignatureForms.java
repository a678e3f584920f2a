package com.example.m2m.testsupport;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * JWS signatures changed in the ways signature providers are known to disagree on (issue 25): the other valid ECDSA
 * signature (high S), R and S without their leading zeros, DER instead of R || S, RSA without its leading zero byte.
 * Each takes and gives a compact JWS.
 */
public final class SignatureForms {

    /** The order of P-256 (FIPS 186-4 D.1.2.3). */
    public static final BigInteger P256_ORDER = new BigInteger(
            "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);

    private SignatureForms() {
    }

    public static byte[] signature(String jws) {
        return Base64.getUrlDecoder().decode(jws.substring(jws.lastIndexOf('.') + 1));
    }

    public static String withSignature(String jws, byte[] signature) {
        return jws.substring(0, jws.lastIndexOf('.') + 1) + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    }

    /** ES256: (r, n - s), the same signature's other valid form; whichever of s and n - s is high. */
    public static String otherS(String jws) {
        byte[] raw = signature(jws);
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(raw, 32, 64));
        byte[] out = raw.clone();
        System.arraycopy(fixed(P256_ORDER.subtract(s), 32), 0, out, 32, 32);
        return withSignature(jws, out);
    }

    /** ES256: the proof whose S is above n/2 (high S), from a valid one: the valid one or its other form. */
    public static String highS(String jws) {
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature(jws), 32, 64));
        return s.compareTo(P256_ORDER.shiftRight(1)) > 0 ? jws : otherS(jws);
    }

    /** ES256: R || S as a DER SEQUENCE of two INTEGERs (the JCA's form), where JWS wants 64 bytes. */
    public static String der(String jws) {
        byte[] raw = signature(jws);
        byte[] r = new BigInteger(1, Arrays.copyOfRange(raw, 0, 32)).toByteArray();
        byte[] s = new BigInteger(1, Arrays.copyOfRange(raw, 32, 64)).toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        out.write(4 + r.length + s.length);
        out.write(0x02);
        out.write(r.length);
        out.writeBytes(r);
        out.write(0x02);
        out.write(s.length);
        out.writeBytes(s);
        return withSignature(jws, out.toByteArray());
    }

    /** ES256: R and S each with its leading zero bytes dropped (shorter than 64 bytes when one has any). */
    public static String minimalRS(String jws) {
        byte[] raw = signature(jws);
        byte[] r = stripZeros(Arrays.copyOfRange(raw, 0, 32));
        byte[] s = stripZeros(Arrays.copyOfRange(raw, 32, 64));
        byte[] out = Arrays.copyOf(r, r.length + s.length);
        System.arraycopy(s, 0, out, r.length, s.length);
        return withSignature(jws, out);
    }

    /** Without its leading zero bytes (RSA: shorter than the modulus when the value is small enough). */
    public static String stripped(String jws) {
        return withSignature(jws, stripZeros(signature(jws)));
    }

    /** With {@code count} zero bytes before it. */
    public static String zeroPadded(String jws, int count) {
        byte[] raw = signature(jws);
        byte[] out = new byte[raw.length + count];
        System.arraycopy(raw, 0, out, count, raw.length);
        return withSignature(jws, out);
    }

    /** ES256: whether R or S begins with a zero byte. */
    public static boolean rOrSLeadingZero(String jws) {
        byte[] raw = signature(jws);
        return raw[0] == 0 || raw[32] == 0;
    }

    /** Whether the signature begins with a zero byte. */
    public static boolean leadingZero(String jws) {
        return signature(jws)[0] == 0;
    }

    /** Signs anew until the signature has the wanted property (about 1 in 128 or 256 do). */
    public static String until(Predicate<String> wanted, Supplier<String> sign) {
        for (int i = 0; i < 20_000; i++) {
            String jws = sign.get();
            if (wanted.test(jws)) {
                return jws;
            }
        }
        throw new IllegalStateException("no such signature in 20,000");
    }

    /**
     * ES256 over the signing input {@code input.apply(i)} for some attempt i, R and S each beginning with a zero byte
     * (a 1 in 65,536 signature, made here in milliseconds: a nonce k whose R has one, then inputs until S or n - S has
     * one). The JWS {@code header.payload.signature}; {@link #minimalRS} makes its 62-byte form.
     */
    public static String es256WithZeroLeadingRAndS(java.security.interfaces.ECPrivateKey key,
            java.util.function.IntFunction<String> input) {
        org.bouncycastle.jce.spec.ECNamedCurveParameterSpec curve = org.bouncycastle.jce.ECNamedCurveTable
                .getParameterSpec("P-256");
        BigInteger n = curve.getN();
        BigInteger limit = BigInteger.ONE.shiftLeft(248);
        java.security.SecureRandom random = new java.security.SecureRandom();
        BigInteger k;
        BigInteger r;
        do {
            k = new BigInteger(256, random).mod(n);
            r = k.signum() == 0 ? n : curve.getG().multiply(k).normalize().getAffineXCoord().toBigInteger().mod(n);
        } while (r.signum() == 0 || r.compareTo(limit) >= 0);
        BigInteger kInverse = k.modInverse(n);
        BigInteger d = key.getS();
        for (int i = 0; i < 100_000; i++) {
            String signingInput = input.apply(i);
            BigInteger z;
            try {
                z = new BigInteger(1, java.security.MessageDigest.getInstance("SHA-256")
                        .digest(signingInput.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            BigInteger s = kInverse.multiply(z.add(r.multiply(d))).mod(n);
            s = s.compareTo(limit) < 0 ? s : n.subtract(s);
            if (s.signum() > 0 && s.compareTo(limit) < 0) {
                byte[] raw = new byte[64];
                System.arraycopy(fixed(r, 32), 0, raw, 0, 32);
                System.arraycopy(fixed(s, 32), 0, raw, 32, 32);
                return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            }
        }
        throw new IllegalStateException("no such signature in 100,000 inputs");
    }

    private static byte[] stripZeros(byte[] bytes) {
        int start = 0;
        while (start < bytes.length - 1 && bytes[start] == 0) {
            start++;
        }
        return Arrays.copyOfRange(bytes, start, bytes.length);
    }

    /** The unsigned big-endian bytes of a value, left-padded with zeros to {@code length}. */
    public static byte[] fixed(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(bytes.length, length);
        System.arraycopy(bytes, bytes.length - copy, out, length - copy, copy);
        return out;
    }
}
