package com.example.m2m.security.rules;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.Unremovable;

/**
 * RFC 7515 section 2 and RFC 7519 section 3: every segment of a compact JWS is base64url <em>without</em> padding.
 * jose4j's decoder is lenient (it skips {@code =} and ignores the unused low bits of the last character), so one token
 * could be written many ways. Refused rather than repaired: each segment must use only the base64url alphabet, have a
 * length a base64 encoding can have, and leave the unused bits of its last character zero.
 */
@Unremovable // found by Quarkus OIDC as a jose4j Validator bean, never injected
@ApplicationScoped
public class CanonicalEncoding extends TokenRule {

    @Override
    protected RuleViolation check(Token token) {
        return isCanonicalCompactJws(token.compact()) ? null : RuleViolation.NON_CANONICAL_ENCODING;
    }

    /** Three canonical base64url segments separated by dots. */
    public static boolean isCanonicalCompactJws(String compact) {
        int first = compact.indexOf('.');
        int second = first < 0 ? -1 : compact.indexOf('.', first + 1);
        if (second < 0 || compact.indexOf('.', second + 1) >= 0) {
            return false;
        }
        return isCanonicalBase64Url(compact, 0, first) && isCanonicalBase64Url(compact, first + 1, second)
                && isCanonicalBase64Url(compact, second + 1, compact.length());
    }

    /** {@code text[from, to)} is base64url as RFC 7515 appendix C writes it: unpadded, no stray bits. */
    static boolean isCanonicalBase64Url(String text, int from, int to) {
        int length = to - from;
        if (length % 4 == 1) {
            return false; // no whole byte ends there
        }
        int last = 0;
        for (int i = from; i < to; i++) {
            last = sextet(text.charAt(i));
            if (last < 0) {
                return false;
            }
        }
        // A final group of 2 characters carries 8 bits of 12, of 3 characters 16 of 18: the rest must be zero.
        return switch (length % 4) {
            case 2 -> (last & 0x0F) == 0;
            case 3 -> (last & 0x03) == 0;
            default -> true;
        };
    }

    private static int sextet(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : c == '_' ? 63 : -1;
    }
}
