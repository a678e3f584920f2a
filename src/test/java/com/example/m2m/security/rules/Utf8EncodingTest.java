package com.example.m2m.security.rules;

import static com.example.m2m.testsupport.TokenForge.b64;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class Utf8EncodingTest {

    @Test
    void wellFormedUtf8Passes() {
        assertTrue(Utf8Encoding.isStrictUtf8(b64("{\"sub\":\"caf\u00e9 \u6771\u4eac\"}")));
        assertTrue(Utf8Encoding.isStrictUtf8(b64("{\"sub\":\"plain ascii\"}")));
    }

    @Test
    void malformedUtf8IsRefused() {
        assertFalse(Utf8Encoding.isStrictUtf8(b64("{\"sub\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1))));
        assertFalse(Utf8Encoding.isStrictUtf8(b64(new byte[] { '{', (byte) 0xC3, (byte) 0x28, '}' })));
    }

    @Test
    void aByteOrderMarkIsRefused() {
        assertFalse(Utf8Encoding.isStrictUtf8(b64("\uFEFF{\"sub\":\"caller\"}")));
    }
}
