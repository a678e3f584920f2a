package com.example.m2m.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The SHA-256 of a token, as four longs: a small, cheap map key, computed once per request and shared by the caches
 * that remember tokens ({@link VerifiedTokenCache} for accepted ones, {@code RefusedTokens} for refused ones). A cache
 * never keeps the token itself for this.
 */
public record TokenDigest(long a, long b, long c, long d) {

    public static TokenDigest of(String token) {
        try {
            ByteBuffer hash = ByteBuffer.wrap(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
            return new TokenDigest(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }
}
