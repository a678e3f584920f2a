package com.example.m2m.security;

import java.util.List;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Step 1 of every request: what the {@code Authorization} header holds (RFC 6750 section 2.1, RFC 9449 section 7.1).
 * A token sent as {@code Bearer} or as {@code DPoP} (then {@link #dpop}), no token at all (no header, or another
 * scheme: an unauthenticated request), or a malformed header, which is a 400 {@code invalid_request} before any
 * verification: two {@code Authorization} headers, empty credentials, or credentials that are not a {@code b64token}
 * ({@link #withCheckedCharacters}). Only the header is read: a token in the query string or a form body is never
 * looked at (bearer methods {@code header} only, as the RFC 9728 metadata says).
 */
public record BearerHeader(String token, boolean dpop, TokenFailure malformed) {

    static final BearerHeader NONE = new BearerHeader(null, false, null);

    /**
     * Reads the request's header; surrounding whitespace is dropped from the token, for Quarkus too. Quarkus' OIDC
     * mechanism reads {@code Bearer} only (its DPoP support is a per-tenant setting, not used here: see
     * {@code DpopProofs}), so a {@code DPoP} header is handed to it as {@code Bearer}; the proof is checked apart.
     */
    static BearerHeader read(HttpServerRequest request) {
        List<String> values = request.headers().getAll(HttpHeaders.AUTHORIZATION);
        if (values.size() > 1) {
            return malformed("Send exactly one Authorization header");
        }
        if (values.isEmpty()) {
            return NONE;
        }
        String value = values.get(0);
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        // Schemes are matched case-insensitively (RFC 9110 section 11.1); any other is no token for this API.
        boolean dpop = "dpop".equalsIgnoreCase(scheme);
        if (!dpop && !"bearer".equalsIgnoreCase(scheme)) {
            return NONE;
        }
        String token = space < 0 ? "" : value.substring(space + 1).strip();
        if (token.isEmpty()) {
            return malformed(dpop ? "The DPoP credentials are empty" : "The Bearer credentials are empty", dpop);
        }
        if (dpop || space + 1 + token.length() != value.length()) {
            // Quarkus takes everything after the first space as the token: give it the token alone.
            request.headers().set(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        return new BearerHeader(token, dpop, null);
    }

    /**
     * This header, or a malformed one if its token has characters a {@code b64token} cannot have. Apart from
     * {@link #read} because a token found in the verified-token cache passed it already.
     */
    BearerHeader withCheckedCharacters() {
        return token == null || isB64Token(token) ? this
                : malformed("The credentials are not a token (RFC 6750 b64token)", dpop);
    }

    private static BearerHeader malformed(String description) {
        return malformed(description, false);
    }

    private static BearerHeader malformed(String description, boolean dpop) {
        TokenFailure failure = TokenFailure.invalidRequest(description);
        return new BearerHeader(null, dpop,
                dpop ? failure.answeredWith(TokenFailure.Challenge.DPOP) : failure);
    }

    /**
     * RFC 6750 2.1: {@code b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}. A loop, not a
     * regular expression: it runs on every request that is not answered from the cache.
     */
    static boolean isB64Token(String token) {
        int end = token.length();
        while (end > 0 && token.charAt(end - 1) == '=') {
            end--;
        }
        if (end == 0) {
            return false;
        }
        for (int i = 0; i < end; i++) {
            char c = token.charAt(i);
            boolean allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }
}
