package com.example.m2m.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Finds the authorization server of an API from the API's URL alone, through its OAuth 2.0 Protected Resource
 * Metadata (RFC 9728): {@code GET <api>/.well-known/oauth-protected-resource} names it in
 * {@code authorization_servers}. Runs before Quarkus starts (the OIDC client needs the issuer at start-up), hence
 * the JDK's HTTP client rather than a Quarkus REST client.
 */
public final class IssuerDiscovery {

    private IssuerDiscovery() {
    }

    public static String issuerOf(String apiUrl) throws IOException, InterruptedException {
        URI metadata = URI.create(apiUrl.replaceAll("/+$", "") + "/.well-known/oauth-protected-resource");
        HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(HttpRequest.newBuilder(metadata).timeout(Duration.ofSeconds(10)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(metadata + " answered " + response.statusCode());
        }
        JsonNode servers = new ObjectMapper().readTree(response.body()).path("authorization_servers");
        if (!servers.isArray() || servers.isEmpty() || !servers.get(0).isTextual()) {
            throw new IOException(metadata + " names no authorization server");
        }
        return servers.get(0).asText();
    }
}
