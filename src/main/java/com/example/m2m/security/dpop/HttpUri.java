package com.example.m2m.security.dpop;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The form in which a DPoP proof's {@code htu} and the request's URI are compared (RFC 9449 section 4.3 point 9):
 * without query and fragment, after RFC 3986 section 6.2.2 syntax-based normalisation (case of scheme, host and
 * percent-encodings; percent-encoded unreserved characters decoded; dot segments removed) and section 6.2.3
 * scheme-based normalisation (default port dropped, empty path is {@code /}). {@code java.net.URI} does the parsing
 * and dot segments; it has no case or percent-encoding normalisation, hence the few lines here.
 */
public final class HttpUri {

    private HttpUri() {
    }

    /** The normalised {@code scheme://authority/path}, or null when the text is not an absolute http(s) URI. */
    public static String normalise(String text) {
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!"https".equals(scheme) && !"http".equals(scheme) || uri.getHost() == null || uri.isOpaque()) {
                return null;
            }
            int port = uri.getPort();
            boolean defaultPort = port == -1 || ("https".equals(scheme) && port == 443)
                    || ("http".equals(scheme) && port == 80);
            String path = percentEncodings(uri.getRawPath() == null ? "" : uri.getRawPath());
            // (a path alone could read as a scheme; the multi-argument constructors would quote its percent signs)
            path = path.isEmpty() ? "/" : new URI("http://h" + path).normalize().getRawPath();
            StringBuilder normal = new StringBuilder(scheme).append("://");
            if (uri.getRawUserInfo() != null) {
                normal.append(uri.getRawUserInfo()).append('@');
            }
            normal.append(uri.getHost().toLowerCase(Locale.ROOT));
            if (!defaultPort) {
                normal.append(':').append(port);
            }
            return normal.append(path.isEmpty() ? "/" : path).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Percent-encodings in upper case, and those of unreserved characters decoded (RFC 3986 sections 2.3, 6.2.2). */
    static String percentEncodings(String path) {
        if (path.indexOf('%') < 0) {
            return path;
        }
        StringBuilder normal = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < path.length() && hex(path.charAt(i + 1)) >= 0 && hex(path.charAt(i + 2)) >= 0) {
                char decoded = (char) (hex(path.charAt(i + 1)) * 16 + hex(path.charAt(i + 2)));
                if (isUnreserved(decoded)) {
                    normal.append(decoded);
                } else {
                    normal.append('%').append(path.substring(i + 1, i + 3).toUpperCase(Locale.ROOT));
                }
                i += 2;
            } else {
                normal.append(c);
            }
        }
        return normal.toString();
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                || c == '_' || c == '~';
    }
}
