package com.example.m2m.security.mtls;

import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Base64;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.vertx.core.http.HttpServerRequest;

/**
 * The client certificate a TLS-terminating proxy forwards (CLIENT_CERT_HEADER), believed only from the proxies the
 * operator names (CLIENT_CERT_PROXIES), by the TCP peer of the connection: never {@code X-Forwarded-For} or anything
 * else the request says about itself. Two forms:
 * <ul>
 * <li>nginx ingress' {@code ssl-client-cert} (and any other header name): the PEM certificate, URL-encoded;</li>
 * <li>Envoy's {@code x-forwarded-client-cert} (XFCC): {@code key=value} pairs separated by {@code ;}, one element per
 * hop separated by {@code ,}; the last element is the one the nearest proxy added; its {@code Cert} (the URL-encoded
 * PEM) is read, else its {@code Hash} (the hex SHA-256 of the DER: the same thumbprint, RFC 8705 section 3.1).</li>
 * </ul>
 * Anything unreadable, or the header twice, is no certificate (the bound token is then refused as sent without one).
 */
public final class ForwardedCertificate {

    public static final String ENVOY_HEADER = "x-forwarded-client-cert";

    /**
     * Header values already read, to their thumbprint ("" for none): a client sends the same certificate on every
     * request, and parsing it costs more than the rest of a cached token's request. Only a declared proxy's headers
     * get here; bounded like the project's other caches.
     */
    private static final int REMEMBERED = 1024;
    private final Cache<String, String> read = Caffeine.newBuilder().maximumSize(REMEMBERED)
            .executor(Runnable::run) // evictions tidied on the calling thread, not on the common pool
            .build();

    private final String header;
    private final ProxyAddresses proxies;

    public ForwardedCertificate(String header, ProxyAddresses proxies) {
        this.header = header == null ? null : header.strip().toLowerCase(Locale.ROOT);
        this.proxies = proxies;
    }

    /** Whether this request came straight from a declared proxy, whose header then stands for the certificate. */
    public boolean fromProxy(HttpServerRequest request) {
        if (header == null) {
            return false;
        }
        // The connection's own peer: request.remoteAddress() is X-Forwarded-For's when Quarkus forwards addresses.
        var peer = request.connection() == null ? null : request.connection().remoteAddress();
        return peer != null && proxies.contains(peer.hostAddress());
    }

    /** The thumbprint of the forwarded certificate of a request {@link #fromProxy}, or null. */
    public String thumbprintOf(HttpServerRequest request) {
        List<String> values = request.headers().getAll(header);
        if (values.size() != 1) {
            return null;
        }
        String thumbprint = read.get(values.get(0), value -> Objects
                .requireNonNullElse(ENVOY_HEADER.equals(header) ? fromXfcc(value) : fromPem(value), ""));
        return thumbprint.isEmpty() ? null : thumbprint;
    }

    /** A URL-encoded (or plain) PEM certificate. */
    static String fromPem(String value) {
        try {
            String pem = value.contains("%") ? URLDecoder.decode(value, StandardCharsets.UTF_8) : value;
            if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
                return null;
            }
            byte[] der = CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .getEncoded();
            return CertificateBinding.thumbprint(der);
        } catch (CertificateException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Envoy's XFCC: the last element's {@code Cert}, else its {@code Hash}. */
    static String fromXfcc(String value) {
        List<List<String[]>> elements = parseXfcc(value);
        if (elements == null || elements.isEmpty()) {
            return null;
        }
        String cert = null;
        String hash = null;
        for (String[] pair : elements.get(elements.size() - 1)) {
            if (pair[0].equalsIgnoreCase("Cert")) {
                cert = pair[1];
            } else if (pair[0].equalsIgnoreCase("Hash")) {
                hash = pair[1];
            }
        }
        if (cert != null) {
            return fromPem(cert);
        }
        if (hash != null && hash.matches("[0-9A-Fa-f]{64}")) {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(HexFormat.of().parseHex(hash));
        }
        return null;
    }

    /**
     * The elements of an XFCC value, each its {@code key=value} pairs; values may be quoted ({@code "..."}, with
     * {@code \"} inside). Null when malformed.
     */
    static List<List<String[]>> parseXfcc(String value) {
        List<List<String[]>> elements = new ArrayList<>();
        List<String[]> element = new ArrayList<>();
        StringBuilder key = new StringBuilder();
        StringBuilder text = new StringBuilder();
        boolean inValue = false;
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < value.length()) {
                    text.append(value.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                } else {
                    text.append(c);
                }
            } else if (c == '"' && inValue && text.length() == 0) {
                quoted = true;
            } else if (c == '=' && !inValue) {
                inValue = true;
            } else if (c == ';' || c == ',') {
                if (!inValue) {
                    return null;
                }
                element.add(new String[] { key.toString().strip(), text.toString() });
                key.setLength(0);
                text.setLength(0);
                inValue = false;
                if (c == ',') {
                    elements.add(element);
                    element = new ArrayList<>();
                }
            } else if (inValue) {
                text.append(c);
            } else {
                key.append(c);
            }
        }
        if (quoted) {
            return null;
        }
        if (inValue) {
            element.add(new String[] { key.toString().strip(), text.toString() });
        } else if (!key.toString().isBlank()) {
            return null;
        }
        if (!element.isEmpty()) {
            elements.add(element);
        }
        return elements;
    }
}
