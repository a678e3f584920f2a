package com.example.m2m.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.LocalIssuer;
import com.sun.net.httpserver.HttpServer;

/**
 * {@code call --discover} against a hostile API: it names its own "authorization server", describes another resource,
 * or lives under a path. The caller's credentials go only to an issuer it was told to trust; the attacker's token
 * endpoint is never called.
 */
class IssuerDiscoveryTest {

    private HttpServer api;
    private LocalIssuer attacker;
    private LocalIssuer trusted;
    private final List<String> metadataRequests = new CopyOnWriteArrayList<>();
    private volatile String metadata;

    @BeforeEach
    void start() throws IOException {
        attacker = LocalIssuer.start();
        trusted = LocalIssuer.start();
        api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        api.createContext("/", exchange -> {
            metadataRequests.add(exchange.getRequestURI().getPath());
            byte[] body = metadata.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        api.start();
    }

    @AfterEach
    void stop() {
        api.stop(0);
        attacker.close();
        trusted.close();
        assertEquals(0, attacker.tokenRequests(), "the attacker's token endpoint was called");
    }

    private String apiUrl() {
        return "http://127.0.0.1:" + api.getAddress().getPort();
    }

    private void serve(String resource, String... servers) {
        metadata = "{\"resource\":\"" + resource + "\",\"authorization_servers\":[\""
                + String.join("\",\"", servers) + "\"]}";
    }

    @Test
    void anApiNamingAnUntrustedServerGetsNothingAndTheMessageSaysHowToTrustIt() {
        serve(apiUrl(), attacker.url());
        IssuerDiscovery.NotTrusted refused = assertThrows(IssuerDiscovery.NotTrusted.class,
                () -> IssuerDiscovery.issuerOf(apiUrl(), Set.of(trusted.url())));
        assertTrue(refused.getMessage().contains(attacker.url()), refused.getMessage());
        assertTrue(refused.getMessage().contains("ISSUER=" + attacker.url()), refused.getMessage());
        assertTrue(refused.getMessage().contains("nothing was sent"), refused.getMessage());
    }

    @Test
    void withNothingTrustedNothingIsUsed() {
        serve(apiUrl(), trusted.url());
        assertThrows(IssuerDiscovery.NotTrusted.class, () -> IssuerDiscovery.issuerOf(apiUrl(), Set.of()));
    }

    @Test
    void theTrustedOneOfSeveralIsChosen() throws Exception {
        serve(apiUrl(), attacker.url(), trusted.url());
        assertEquals(trusted.url(), IssuerDiscovery.issuerOf(apiUrl(),
                IssuerDiscovery.trustedIssuers(null, " https://other.example , " + trusted.url())));
    }

    @Test
    void trustIsAnExactMatch() {
        serve(apiUrl(), trusted.url() + "/");
        assertThrows(IssuerDiscovery.NotTrusted.class, () -> IssuerDiscovery.issuerOf(apiUrl(), Set.of(trusted.url())));
    }

    @Test
    void metadataAboutAnotherResourceIsNotUsed() {
        serve("https://elsewhere.example", trusted.url());
        IOException refused = assertThrows(IOException.class,
                () -> IssuerDiscovery.issuerOf(apiUrl(), Set.of(trusted.url())));
        assertTrue(refused.getMessage().contains("RFC 9728 section 3.3"), refused.getMessage());
    }

    @Test
    void theWellKnownSegmentGoesBetweenHostAndPath() throws Exception {
        serve(apiUrl() + "/tenant/v1", trusted.url());
        assertEquals(trusted.url(), IssuerDiscovery.issuerOf(apiUrl() + "/tenant/v1", Set.of(trusted.url())));
        assertEquals(List.of("/.well-known/oauth-protected-resource/tenant/v1"), metadataRequests);
        assertEquals("https://api.example/.well-known/oauth-protected-resource",
                IssuerDiscovery.metadataUrl("https://api.example/").toString());
    }

    @Test
    void anApiUrlWithAQueryIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> IssuerDiscovery.metadataUrl("https://api.example/?x=1"));
    }
}
