package com.example.m2m.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The SHA-256 of a token's UTF-8 bytes, as four longs: a small, cheap map key, computed once per request and shared by
 * the caches that remember tokens ({@link VerifiedTokenCache} for accepted ones, {@code RefusedTokens} for refused
 * ones). A cache never keeps the token itself for this.
 * <p>
 * Every request with a token computes one, so it allocates next to nothing (issue 28's allocation profile,
 * {@code bench/alloc-profile.sh}: 1.1 KiB of a cached-token request's 12.9 KiB was a new {@code MessageDigest} and a
 * copy of the token's bytes): each thread keeps its digest and a byte buffer. A token's characters are ASCII when it
 * is a token at all (RFC 6750's {@code b64token}); any other is hashed from its UTF-8 bytes, so that two strings never
 * share bytes (a plain cast to bytes would map U+0169 onto 'i').
 */
public record TokenDigest(long a, long b, long c, long d) {

    /** The longest token hashed from the thread's buffer; a longer one (a header is at most 8 KiB) gets its own. */
    private static final int BUFFER_BYTES = 8192;

    private static final ThreadLocal<Hasher> HASHERS = ThreadLocal.withInitial(Hasher::new);

    public static TokenDigest of(String token) {
        return HASHERS.get().digest(token);
    }

    /** The digest in base64url without padding: a token's DPoP {@code ath} (RFC 9449 section 4.2). */
    public String base64Url() {
        byte[] bytes = ByteBuffer.allocate(32).putLong(a).putLong(b).putLong(c).putLong(d).array();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** One thread's SHA-256 and buffer. */
    private static final class Hasher {

        private final MessageDigest sha256;
        private final byte[] buffer = new byte[BUFFER_BYTES];

        Hasher() {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
            }
        }

        TokenDigest digest(String token) {
            int length = token.length();
            if (length <= buffer.length && ascii(token, length)) {
                sha256.update(buffer, 0, length);
            } else {
                sha256.update(token.getBytes(StandardCharsets.UTF_8));
            }
            ByteBuffer hash = ByteBuffer.wrap(sha256.digest()); // digest() also resets it for the next token
            return new TokenDigest(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
        }

        /** Copies an ASCII token into the buffer; false (and the buffer unused) at its first other character. */
        private boolean ascii(String token, int length) {
            for (int i = 0; i < length; i++) {
                char c = token.charAt(i);
                if (c > 0x7f) {
                    return false;
                }
                buffer[i] = (byte) c;
            }
            return true;
        }
    }
}
