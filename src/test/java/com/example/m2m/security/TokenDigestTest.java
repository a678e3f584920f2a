package com.example.m2m.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.junit.jupiter.api.Test;

class TokenDigestTest {

    /** The SHA-256 of the UTF-8 bytes, computed the plain way. */
    private static TokenDigest plainSha256(String token) throws Exception {
        ByteBuffer hash = ByteBuffer.wrap(MessageDigest.getInstance("SHA-256")
                .digest(token.getBytes(StandardCharsets.UTF_8)));
        return new TokenDigest(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
    }

    @Test
    void isTheSha256OfTheTokensBytesWhateverCameBefore() throws Exception {
        String longer = "eyJhbGciOiJSUzI1NiJ9." + "a".repeat(900) + ".sig";
        // The thread's digest and buffer are reused: a shorter token after a longer one must not see its tail.
        assertEquals(plainSha256(longer), TokenDigest.of(longer));
        assertEquals(plainSha256("abc"), TokenDigest.of("abc"));
        assertEquals(plainSha256(longer), TokenDigest.of(longer));
        assertEquals(plainSha256(""), TokenDigest.of(""));
    }

    @Test
    void aTokenLongerThanTheBufferIsHashedWhole() throws Exception {
        String huge = "x".repeat(20_000);
        assertEquals(plainSha256(huge), TokenDigest.of(huge));
        assertNotEquals(TokenDigest.of(huge), TokenDigest.of(huge + "y"));
    }

    @Test
    void charactersBeyondAsciiNeverShareBytesWithAnAsciiToken() throws Exception {
        // U+0169 cast to a byte would be 'i' (0x69): the same digest as the ASCII token, a cache hit for a token never
        // verified. Hashed as UTF-8 they differ.
        assertNotEquals(TokenDigest.of("token-i"), TokenDigest.of("token-\u0169"));
        assertEquals(plainSha256("token-\u0169"), TokenDigest.of("token-\u0169"));
        // And the previous US-ASCII encoding's '?' for both of these is gone too.
        assertNotEquals(TokenDigest.of("a\u00e9"), TokenDigest.of("a\u00e8"));
    }

    @Test
    void inBase64UrlItIsTheSha256AsDpopsAthWritesIt() throws Exception {
        // (RFC 9449's own example is ProofRulesTest's.)
        String token = "eyJhbGciOiJSUzI1NiJ9." + "b".repeat(300) + ".sig";
        assertEquals(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest
                .getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII))),
                TokenDigest.of(token).base64Url());
    }
}
