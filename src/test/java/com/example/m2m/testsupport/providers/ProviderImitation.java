package com.example.m2m.testsupport.providers;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import org.jose4j.json.JsonUtil;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.JoseException;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

/**
 * The common part of the imitations of real authorization servers (Okta, Entra ID, Cognito, Auth0, Ory Hydra) that
 * cannot run here: an HTTP server on 127.0.0.1 (and, for a provider's mutual TLS, an HTTPS one), RSA signing keys,
 * registered clients, client authentication (client_secret_basic, client_secret_post, private_key_jwt), and tokens
 * signed with exactly the header and claims a subclass gives, member by member (no library adds a {@code typ} or
 * reorders anything). Each subclass serves its provider's discovery documents, key set and token endpoint as that
 * provider's documentation describes them, and cites the pages.
 */
public abstract class ProviderImitation implements AutoCloseable {

    /** A signing key and the {@code kid} it is published under. */
    public record SigningKey(String kid, KeyPair pair) {
        public RSAPublicKey publicKey() {
            return (RSAPublicKey) pair.getPublic();
        }
    }

    /**
     * A client of the imitated server: a secret, or a public key for private_key_jwt (RFC 7523), the scopes it may be
     * granted, and whatever else a provider keeps per client ({@code extra}).
     */
    public record Client(String id, String secret, PublicKey assertionKey, Set<String> scopes,
            Map<String, Object> extra) {
    }

    /**
     * An HTTP request as the handlers see it: the form (for POSTs), the headers, the raw body, and the base URL of the
     * listener it came in on ({@link ProviderImitation#base()}, or {@link ProviderImitation#mutualTlsBase()}).
     */
    public record Request(String method, String path, Map<String, String> form, Map<String, List<String>> headers,
            String body, String origin) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> header : headers.entrySet()) {
                if (header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty()) {
                    return header.getValue().get(0);
                }
            }
            return null;
        }
    }

    /** An answer: status, JSON body, extra headers. */
    public record Answer(int status, String json, Map<String, String> headers) {
        public static Answer ok(String json) {
            return new Answer(200, json, Map.of());
        }

        public static Answer of(int status, String json) {
            return new Answer(status, json, Map.of());
        }
    }

    /** An OAuth error answer (RFC 6749 section 5.2, or the provider's own shape), thrown from a handler. */
    public static final class Refusal extends RuntimeException {
        public final transient Answer answer;

        public Refusal(int status, String json) {
            super(json, null, false, false);
            this.answer = Answer.of(status, json);
        }

        /** RFC 6749 section 5.2's {@code {"error":..., "error_description":...}}. */
        public static Refusal oauth(int status, String error, String description) {
            return new Refusal(status, JsonUtil.toJson(Map.of("error", error, "error_description", description)));
        }
    }

    @FunctionalInterface
    protected interface Handler {
        Answer handle(Request request) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService executor;
    /** The provider's mutual-TLS host, when a subclass starts one. */
    private volatile HttpsServer mutualTls;
    private final Map<String, Handler> routes = new ConcurrentHashMap<>();
    protected final List<SigningKey> keys = new CopyOnWriteArrayList<>();
    protected final Map<String, Client> clients = new ConcurrentHashMap<>();
    /** Every request's path and form, oldest first, with secrets and assertions blanked: what tests look at. */
    private final List<Request> seen = new CopyOnWriteArrayList<>();
    /** The client assertions received (private_key_jwt), as sent: for tests that they are never logged. */
    private final List<String> assertions = new CopyOnWriteArrayList<>();

    protected ProviderImitation() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the imitation", e);
        }
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, getClass().getSimpleName());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> dispatch(exchange, Map.of(), base()));
        server.start();
    }

    /**
     * Starts a second listener, HTTPS on another 127.0.0.1 port, that needs a client certificate in every handshake
     * (a provider's mutual-TLS host, RFC 8705): {@code context} presents the server's certificate and decides which
     * client certificates the handshake accepts. Its requests reach the same routes, with the headers {@code forward}
     * makes of the client's certificate (a client cannot send those headers itself there). Returns its base URL.
     */
    protected String startMutualTls(SSLContext context, Function<X509Certificate, Map<String, String>> forward) {
        try {
            HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            https.setHttpsConfigurator(new HttpsConfigurator(context) {
                @Override
                public void configure(HttpsParameters parameters) {
                    SSLParameters ssl = context.getDefaultSSLParameters();
                    ssl.setNeedClientAuth(true); // no certificate, no handshake
                    parameters.setSSLParameters(ssl);
                }
            });
            https.setExecutor(executor);
            https.createContext("/", exchange -> dispatch(exchange,
                    forward.apply(peerCertificate((HttpsExchange) exchange)), mutualTlsBase()));
            mutualTls = https; // before the first request, which names it as its origin
            https.start();
            return mutualTlsBase();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the imitation's mutual-TLS listener", e);
        }
    }

    /** {@code https://127.0.0.1:<port>}: the mutual-TLS listener, or null when none was started. */
    public String mutualTlsBase() {
        HttpsServer https = mutualTls;
        return https == null ? null : "https://127.0.0.1:" + https.getAddress().getPort();
    }

    private static X509Certificate peerCertificate(HttpsExchange exchange) throws IOException {
        // The handshake needed a certificate, so there is one: the client's own comes first in the chain.
        return (X509Certificate) exchange.getSSLSession().getPeerCertificates()[0];
    }

    /** {@code http://127.0.0.1:<port>}: the imitated host. */
    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    protected void route(String path, Handler handler) {
        routes.put(path, handler);
    }

    public Client addClient(String id, String secret, Set<String> scopes) {
        return addClient(new Client(id, secret, null, scopes, Map.of()));
    }

    public Client addClient(Client client) {
        clients.put(client.id(), client);
        return client;
    }

    /** Every client assertion received, as sent. */
    public List<String> assertions() {
        return List.copyOf(assertions);
    }

    /** The requests received at a path, oldest first (secrets and assertions blanked). */
    public List<Request> requestsTo(String path) {
        return seen.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        if (mutualTls != null) {
            mutualTls.stop(0);
        }
    }

    // ---- keys and tokens ----

    /** A new RSA 2048 key under this kid (the local issuer's key generation). */
    public static SigningKey newKey(String kid) {
        return new SigningKey(kid, com.example.m2m.testsupport.LocalIssuer.newKey(kid).pair());
    }

    public SigningKey currentKey() {
        return keys.get(0);
    }

    /** The RSA members of a JWK: {@code n} and {@code e}, unsigned base64url (RFC 7518 section 6.3.1). */
    protected static Map<String, Object> rsaMembers(SigningKey key) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("n", unsigned(key.publicKey().getModulus()));
        members.put("e", unsigned(key.publicKey().getPublicExponent()));
        return members;
    }

    /** {@code {"keys":[...]}} with each key as {@code shape} renders it. */
    protected String jwks(java.util.function.Function<SigningKey, Map<String, Object>> shape) {
        List<Object> rendered = new ArrayList<>();
        keys.forEach(key -> rendered.add(shape.apply(key)));
        return JsonUtil.toJson(Map.of("keys", rendered));
    }

    /** A JWS with exactly this header (in this order) and these claims, RS256 with {@code key}. */
    public static String sign(Map<String, Object> header, Map<String, Object> claims, SigningKey key) {
        String head = base64Url(JsonUtil.toJson(header).getBytes(StandardCharsets.UTF_8));
        String body = base64Url(JsonUtil.toJson(claims).getBytes(StandardCharsets.UTF_8));
        try {
            java.security.Signature signer = java.security.Signature.getInstance("SHA256withRSA");
            signer.initSign(key.pair().getPrivate());
            signer.update((head + "." + body).getBytes(StandardCharsets.US_ASCII));
            return head + "." + body + "." + base64Url(signer.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Ordered map literal: {@code ordered("a", 1, "b", 2)}. */
    public static Map<String, Object> ordered(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                map.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return map;
    }

    /** How far this server's clock is off (tests of a machine whose clock differs from the issuer's). */
    private volatile long clockOffsetSeconds;

    /** Imitates a server whose clock is {@code seconds} ahead (negative: behind): the times in its tokens. */
    public void clockOffset(long seconds) {
        clockOffsetSeconds = seconds;
    }

    /** The time by this server's clock, in seconds. */
    public long now() {
        return System.currentTimeMillis() / 1000 + clockOffsetSeconds;
    }

    // ---- client authentication (RFC 6749 section 2.3, RFC 7523) ----

    /** How a token request authenticated its client. */
    public enum ClientAuth {
        CLIENT_SECRET_BASIC, CLIENT_SECRET_POST, PRIVATE_KEY_JWT
    }

    /** The client a token request authenticated as, and how; an {@code invalid_client} refusal when it did not. */
    public record Authenticated(Client client, ClientAuth method) {
    }

    /**
     * Authenticates the client of a request to {@code endpoint} (the URL a private_key_jwt assertion's {@code aud}
     * must name). Throws {@code refuse.apply(description)} when the client is unknown or its credentials are wrong.
     */
    protected Authenticated authenticate(Request request, String endpoint,
            java.util.function.Function<String, Refusal> refuse) {
        String basic = request.header("Authorization");
        if (basic != null && basic.startsWith("Basic ")) {
            String[] pair = new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8)
                    .split(":", 2);
            String id = URLDecoder.decode(pair[0], StandardCharsets.UTF_8);
            String secret = pair.length > 1 ? URLDecoder.decode(pair[1], StandardCharsets.UTF_8) : "";
            return new Authenticated(secretClient(id, secret, refuse), ClientAuth.CLIENT_SECRET_BASIC);
        }
        String assertion = request.form().get("client_assertion");
        if (assertion != null) {
            if (!"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
                    .equals(request.form().get("client_assertion_type"))) {
                throw refuse.apply("client_assertion_type is not jwt-bearer");
            }
            return new Authenticated(assertedClient(assertion, endpoint, refuse), ClientAuth.PRIVATE_KEY_JWT);
        }
        String id = request.form().get("client_id");
        String secret = request.form().get("client_secret");
        if (id != null && secret != null) {
            return new Authenticated(secretClient(id, secret, refuse), ClientAuth.CLIENT_SECRET_POST);
        }
        throw refuse.apply("no client authentication");
    }

    private Client secretClient(String id, String secret, java.util.function.Function<String, Refusal> refuse) {
        Client client = clients.get(id);
        if (client == null || client.secret() == null || !client.secret().equals(secret)) {
            throw refuse.apply("unknown client or wrong secret");
        }
        return client;
    }

    /** RFC 7523 section 3: iss = sub = the client, aud = the endpoint, a signature by the client's registered key. */
    private Client assertedClient(String assertion, String endpoint,
            java.util.function.Function<String, Refusal> refuse) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setCompactSerialization(assertion);
            String issuer = JwtClaims.parse(jws.getUnverifiedPayload()).getIssuer();
            Client client = clients.get(issuer);
            if (client == null || client.assertionKey() == null) {
                throw refuse.apply("unknown client or no key registered for it");
            }
            new JwtConsumerBuilder().setVerificationKey(client.assertionKey()).setExpectedIssuer(client.id())
                    .setExpectedSubject(client.id()).setExpectedAudience(endpoint).setRequireExpirationTime()
                    .build().process(assertion);
            return client;
        } catch (Refusal refusal) {
            throw refusal;
        } catch (Exception invalid) {
            throw refuse.apply("the client assertion is not valid for this endpoint");
        }
    }

    // ---- HTTP ----

    private void dispatch(HttpExchange exchange, Map<String, String> forwarded, String origin) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> form = new LinkedHashMap<>();
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    form.merge(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8), (a, b) -> a + " " + b);
                }
            }
        }
        Map<String, List<String>> headers = new LinkedHashMap<>(exchange.getRequestHeaders());
        headers.keySet().removeIf(name -> forwarded.keySet().stream().anyMatch(name::equalsIgnoreCase));
        forwarded.forEach((name, value) -> headers.put(name, List.of(value)));
        Request request = new Request(exchange.getRequestMethod(), path, Map.copyOf(form), Map.copyOf(headers), body,
                origin);
        if (form.containsKey("client_assertion")) {
            assertions.add(form.get("client_assertion"));
        }
        Map<String, String> logged = new LinkedHashMap<>(form);
        logged.replaceAll((name, value) -> name.equals("client_secret") || name.equals("client_assertion") ? "***" : value);
        seen.add(new Request(request.method(), path, Map.copyOf(logged), Map.of(), "", origin));
        Handler handler = routes.get(path);
        Answer answer;
        try {
            answer = handler == null ? Answer.of(404, "{\"error\":\"not_found\"}") : handler.handle(request);
        } catch (Refusal refusal) {
            answer = refusal.answer;
        } catch (Exception e) {
            answer = Answer.of(500, "{\"error\":\"server_error\"}");
        }
        byte[] bytes = answer.json().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json;charset=UTF-8");
        answer.headers().forEach(exchange.getResponseHeaders()::add);
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    public static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A JWK number member: the unsigned big-endian magnitude, base64url (without BigInteger's sign byte). */
    public static String unsigned(java.math.BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return base64Url(bytes);
    }

    /** The claims of a token (unverified): for tests that look at what the imitation minted. */
    public static Map<String, Object> claimsOf(String token) {
        try {
            return JsonUtil.parseJson(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]),
                    StandardCharsets.UTF_8));
        } catch (JoseException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
