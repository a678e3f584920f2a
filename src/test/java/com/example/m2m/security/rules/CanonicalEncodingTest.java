package com.example.m2m.security.rules;

import static com.example.m2m.security.rules.Tokens.signed;
import static com.example.m2m.security.rules.Tokens.verdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CanonicalEncodingTest {

    private final CanonicalEncoding rule = new CanonicalEncoding();
    private final String token = signed("{\"sub\":\"caller\"}");

    @Test
    void anUnpaddedTokenPasses() throws Exception {
        assertNull(verdict(rule, token));
    }

    @Test
    void paddingIsRefusedInAnySegment() throws Exception {
        assertEquals(RuleViolation.NON_CANONICAL_ENCODING, verdict(rule, token + "=="));
        String[] parts = token.split("\\.");
        assertFalse(CanonicalEncoding.isCanonicalCompactJws(parts[0] + "=." + parts[1] + "." + parts[2]));
        assertFalse(CanonicalEncoding.isCanonicalCompactJws(parts[0] + "." + parts[1] + "==." + parts[2]));
    }

    @Test
    void strayBitsInTheLastCharacterAreRefused() {
        // "QQ" is the canonical encoding of "A"; "QR" decodes to the same byte with a stray bit.
        assertTrue(CanonicalEncoding.isCanonicalBase64Url("QQ", 0, 2));
        assertFalse(CanonicalEncoding.isCanonicalBase64Url("QR", 0, 2));
        // "QUI" is "AB"; "QUJ" has a stray bit.
        assertTrue(CanonicalEncoding.isCanonicalBase64Url("QUI", 0, 3));
        assertFalse(CanonicalEncoding.isCanonicalBase64Url("QUJ", 0, 3));
    }

    @Test
    void otherAlphabetsAndImpossibleLengthsAreRefused() {
        assertFalse(CanonicalEncoding.isCanonicalBase64Url("ab+/", 0, 4), "standard base64");
        assertFalse(CanonicalEncoding.isCanonicalBase64Url("abcde", 0, 5), "a length no encoding has");
        assertFalse(CanonicalEncoding.isCanonicalCompactJws("a.b"), "two segments");
        assertFalse(CanonicalEncoding.isCanonicalCompactJws("QQ.QQ.QQ.QQ"), "four segments");
        assertTrue(CanonicalEncoding.isCanonicalCompactJws("QQ.QQ.QQ"));
    }
}
