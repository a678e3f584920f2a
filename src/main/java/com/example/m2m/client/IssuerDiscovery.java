package com.example.m2m.client;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Finds the authorization server of an API from the API's URL, through its OAuth 2.0 Protected Resource Metadata
 * (RFC 9728), without ever trusting the API with the caller's credentials:
 * <ul>
 * <li>the metadata is fetched where section 3.1 puts it: the well-known segment between the host and the path
 * ({@code https://api.example/v1} → {@code https://api.example/.well-known/oauth-protected-resource/v1});</li>
 * <li>its {@code resource} must be the API URL asked for (section 3.3), or the metadata is not used;</li>
 * <li>of the {@code authorization_servers} it names, only one the caller was told to trust ({@code ISSUER}, or one of
 * {@code TRUSTED_ISSUERS}) is chosen, compared exactly (RFC 8414 section 3.3). An API that names only servers the
 * caller does not trust gets nothing: no token request is made, so no credentials are sent anywhere.</li>
 * </ul>
 * Runs before Quarkus starts (the OIDC client needs its issuer at start-up), hence the JDK's HTTP client.
 */
public final class IssuerDiscovery {

    public static final String WELL_KNOWN = "/.well-known/oauth-protected-resource";

    /** Discovery did not give an issuer the caller may send its credentials to; the message says what to do. */
    public static final class NotTrusted extends Exception {
        NotTrusted(String message) {
            super(message, null, false, false);
        }
    }

    private IssuerDiscovery() {
    }

    /** The trusted authorization server the API at {@code apiUrl} names. */
    public static String issuerOf(String apiUrl, Set<String> trusted) throws IOException, InterruptedException,
            NotTrusted {
        URI metadata = metadataUrl(apiUrl);
        HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(HttpRequest.newBuilder(metadata).timeout(Duration.ofSeconds(10)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(metadata + " answered " + response.statusCode());
        }
        return choose(apiUrl, metadata, response.body(), trusted);
    }

    /** RFC 9728 section 3.1: the well-known segment goes between the host and the path; a final slash is dropped. */
    static URI metadataUrl(String apiUrl) {
        URI api = resource(apiUrl);
        String path = api.getRawPath() == null ? "" : api.getRawPath().replaceAll("/+$", "");
        try {
            return new URI(api.getScheme(), api.getRawAuthority(), WELL_KNOWN + path, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("API_URL is not a URL: " + apiUrl, e);
        }
    }

    /** The API URL as a resource identifier (RFC 9728 section 1.2): http(s), no query, no fragment. */
    static URI resource(String apiUrl) {
        URI api;
        try {
            api = new URI(apiUrl.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("API_URL is not a URL: " + apiUrl, e);
        }
        if (!("https".equals(api.getScheme()) || "http".equals(api.getScheme())) || api.getHost() == null
                || api.getRawQuery() != null || api.getRawFragment() != null) {
            throw new IllegalArgumentException("API_URL must be an http(s) URL without query or fragment: " + apiUrl);
        }
        return api;
    }

    /** Reads the metadata document and picks the issuer; throws when it must not be used. */
    static String choose(String apiUrl, URI metadata, String body, Set<String> trusted) throws IOException,
            NotTrusted {
        JsonNode document = new ObjectMapper().readTree(body);
        JsonNode resource = document.path("resource");
        if (!resource.isTextual() || !sameResource(resource.asText(), apiUrl)) {
            throw new IOException(metadata + " describes another resource (" + (resource.isTextual() ? resource.asText()
                    : "none") + "), not " + apiUrl + " (RFC 9728 section 3.3): not used");
        }
        List<String> named = new ArrayList<>();
        for (JsonNode server : document.path("authorization_servers")) {
            if (server.isTextual()) {
                named.add(server.asText());
            }
        }
        if (named.isEmpty()) {
            throw new IOException(metadata + " names no authorization server");
        }
        for (String server : named) {
            if (trusted.contains(server)) {
                return server;
            }
        }
        throw new NotTrusted("The API at " + apiUrl + " names the authorization server " + String.join(", ", named)
                + (trusted.isEmpty() ? ", and no issuer is trusted" : ", which is not trusted (trusted: "
                        + String.join(", ", trusted) + ")")
                + "; nothing was sent. To trust it, set ISSUER=" + named.get(0) + " or add it to TRUSTED_ISSUERS.");
    }

    /** The identifiers are the same URL; a lone trailing slash on an empty path makes no difference. */
    static boolean sameResource(String declared, String asked) {
        return withoutRootSlash(declared).equals(withoutRootSlash(asked.strip()));
    }

    private static String withoutRootSlash(String url) {
        URI uri = URI.create(url);
        return "/".equals(uri.getRawPath()) ? url.substring(0, url.length() - 1) : url;
    }

    /** {@code ISSUER} and the comma-separated {@code TRUSTED_ISSUERS}, in that order, without blanks. */
    public static Set<String> trustedIssuers(String issuer, String trustedIssuers) {
        Set<String> trusted = new LinkedHashSet<>();
        for (String value : List.of(issuer == null ? "" : issuer, trustedIssuers == null ? "" : trustedIssuers)) {
            Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(trusted::add);
        }
        return trusted;
    }
}
