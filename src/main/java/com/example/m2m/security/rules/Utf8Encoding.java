package com.example.m2m.security.rules;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.Unremovable;

/**
 * RFC 8725 section 3.7 and RFC 7519 section 7.2: the header and the claims are UTF-8. jose4j decodes them leniently
 * (a malformed byte becomes U+FFFD), so two different byte strings could read as the same claims; a token whose
 * header or payload is not valid UTF-8, or starts with a byte order mark, is refused.
 */
@Unremovable // found by Quarkus OIDC as a jose4j Validator bean, never injected
@ApplicationScoped
public class Utf8Encoding extends TokenRule {

    @Override
    protected RuleViolation check(Token token) {
        String compact = token.compact();
        int first = compact.indexOf('.');
        int second = compact.indexOf('.', first + 1);
        return isStrictUtf8(compact.substring(0, first)) && isStrictUtf8(compact.substring(first + 1, second)) ? null
                : RuleViolation.NOT_UTF8;
    }

    /** A base64url segment whose bytes are well-formed UTF-8 without a byte order mark. */
    static boolean isStrictUtf8(String segment) {
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(segment);
            if (isAscii(bytes)) {
                return true; // nearly every token: ASCII is UTF-8, and a byte order mark is not ASCII
            }
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            return !text.startsWith("\uFEFF");
        } catch (CharacterCodingException | IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }
}
