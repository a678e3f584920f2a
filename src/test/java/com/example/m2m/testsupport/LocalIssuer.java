package com.example.m2m.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * A minimal OIDC issuer for the fast tests: a discovery document and a JWKS on 127.0.0.1, and RS256 tokens signed
 * with its keys. The end-to-end story runs on a real Keycloak (the *IT tests); this one exists so that the shapes
 * Keycloak cannot easily produce (an {@code scp} array, an expired or wrong-issuer token signed with the right key)
 * are tested too, in seconds.
 */
public final class LocalIssuer implements AutoCloseable {

    public record SigningKey(String kid, KeyPair pair) {
    }

    private final HttpServer server;
    private final List<SigningKey> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private final AtomicInteger discoveryFetches = new AtomicInteger();
    private final AtomicInteger introspections = new AtomicInteger();
    /** Introspection answers by token; a JWT not in here is active with its own claims, anything else inactive. */
    private final java.util.Map<String, String> answers = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Set<String> revoked = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile int introspectionStatus = 200;
    private volatile long introspectionDelayMillis;
    /** How the last introspection request authenticated: "basic <client id>" or "post <client id>". */
    private volatile String lastIntrospectionClient;
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private volatile long tokenLifetimeSeconds = 300;
    private volatile long jwksDelayMillis;
    /** When set, a DPoP token request must carry this nonce (RFC 9449 section 8). */
    private volatile String requiredDpopNonce;
    /** The claims of the DPoP proofs the token endpoint received, in order. */
    private final List<java.util.Map<String, Object>> tokenProofs = new CopyOnWriteArrayList<>();

    private LocalIssuer(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        // Requests in parallel, so that a deliberately slow JWKS answer blocks nothing else here.
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "local-issuer");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/.well-known/openid-configuration", this::discovery);
        server.createContext("/jwks", this::jwks);
        server.createContext("/token", this::token);
        server.createContext("/introspect", this::introspect);
        published.add(newKey("key-1"));
    }

    /** Starts on a free port. */
    public static LocalIssuer start() {
        return start(0);
    }

    /** Starts on the given port (0: any free port). */
    public static LocalIssuer start(int port) {
        try {
            LocalIssuer issuer = new LocalIssuer(port);
            issuer.server.start();
            return issuer;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the local issuer", e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Requests for the discovery document (an issuer that was never contacted has none, nor JWKS fetches). */
    public int discoveryFetches() {
        return discoveryFetches.get();
    }

    public int jwksFetches() {
        return jwksFetches.get();
    }

    /** How many tokens the token endpoint has issued. */
    public int tokenRequests() {
        return tokenRequests.get();
    }

    /** The lifetime of the tokens the token endpoint issues from now on. */
    public void tokenLifetime(long seconds) {
        this.tokenLifetimeSeconds = seconds;
    }

    public SigningKey currentKey() {
        return published.get(0);
    }

    /** Publishes a new key and signs with it from now on; the old key stays published (a rotation). */
    public SigningKey rotate(String kid) {
        SigningKey key = newKey(kid);
        published.add(0, key);
        return key;
    }

    /** Stops publishing a key (the end of a rotation): once the API re-reads the key set, it must refuse its tokens. */
    public void retire(String kid) {
        published.removeIf(key -> key.kid().equals(kid));
    }

    /** Makes every JWKS answer wait this long (a slow or hanging issuer). */
    public void delayJwks(long millis) {
        this.jwksDelayMillis = millis;
    }

    /** A key pair this issuer does not publish, for forged tokens. */
    public static SigningKey newKey(String kid) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new SigningKey(kid, generator.generateKeyPair());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final java.util.concurrent.atomic.AtomicReference<KeyPair> SPARE = new java.util.concurrent.atomic.AtomicReference<>();

    /** An unpublished key under the given kid, reusing one key pair: for floods, where key generation would dominate. */
    public static SigningKey newKeyFast(String kid) {
        KeyPair pair = SPARE.updateAndGet(existing -> existing != null ? existing : newKey("spare").pair());
        return new SigningKey(kid, pair);
    }

    /** Claims for a valid client-credentials access token from this issuer; tests add or change claims. */
    public JwtClaimsBuilder claims(String clientId) {
        return Jwt.issuer(url())
                .subject(clientId)
                .claim("client_id", clientId)
                .audience("api://messages")
                .issuedAt(System.currentTimeMillis() / 1000)
                .expiresIn(300);
    }

    /** Signs with this issuer's published key: a token the API must accept if its claims are right. */
    public String sign(JwtClaimsBuilder claims) {
        return sign(claims, currentKey());
    }

    public static String sign(JwtClaimsBuilder claims, SigningKey key) {
        return claims.jws().keyId(key.kid()).algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.RS256)
                .sign(key.pair().getPrivate());
    }

    /** Signs as an RFC 9068 access token: {@code typ: at+jwt}. */
    public String signAccessToken(JwtClaimsBuilder claims) {
        return claims.jws().header("typ", "at+jwt").keyId(currentKey().kid())
                .algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.RS256).sign(currentKey().pair().getPrivate());
    }

    /** A token with the given space-separated {@code scope} claim. */
    public String tokenWithScope(String clientId, String scope) {
        return sign(claims(clientId).claim("scope", scope));
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void discovery(HttpExchange exchange) throws IOException {
        discoveryFetches.incrementAndGet();
        String url = url();
        respond(exchange, """
                {"issuer":"%1$s","jwks_uri":"%1$s/jwks","token_endpoint":"%1$s/token","introspection_endpoint":"%1$s/introspect",
                 "id_token_signing_alg_values_supported":["RS256"],"response_types_supported":["token"],
                 "subject_types_supported":["public"],"grant_types_supported":["client_credentials"]}"""
                .formatted(url));
    }

    private void jwks(HttpExchange exchange) throws IOException {
        jwksFetches.incrementAndGet();
        if (jwksDelayMillis > 0) {
            try {
                Thread.sleep(jwksDelayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        StringBuilder keys = new StringBuilder();
        for (SigningKey key : published) {
            RSAPublicKey pub = (RSAPublicKey) key.pair().getPublic();
            if (keys.length() > 0) {
                keys.append(',');
            }
            keys.append("""
                    {"kty":"RSA","use":"sig","alg":"RS256","kid":"%s","n":"%s","e":"%s"}"""
                    .formatted(key.kid(), base64Url(pub.getModulus().toByteArray()),
                            base64Url(pub.getPublicExponent().toByteArray())));
        }
        respond(exchange, "{\"keys\":[" + keys + "]}");
    }

    /** The introspection answer (RFC 7662 JSON) for a token, an opaque one say. */
    public void answer(String token, String json) {
        answers.put(token, json);
    }

    /** From now on, introspection says the token is not active (RFC 7009 revocation, as far as a caller can tell). */
    public void revoke(String token) {
        revoked.add(token);
    }

    /** The status the introspection endpoint answers with from now on (200, or 503 for an outage). */
    public void introspectionStatus(int status) {
        introspectionStatus = status;
    }

    /** Introspection answers this much late from now on (so that requests pile up waiting for one). */
    public void delayIntrospection(long millis) {
        introspectionDelayMillis = millis;
    }

    public int introspections() {
        return introspections.get();
    }

    public String lastIntrospectionClient() {
        return lastIntrospectionClient;
    }

    private void introspect(HttpExchange exchange) throws IOException {
        introspections.incrementAndGet();
        String form = new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        java.util.Map<String, String> params = new java.util.HashMap<>();
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(java.net.URLDecoder.decode(pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        String basic = exchange.getRequestHeaders().getFirst("Authorization");
        lastIntrospectionClient = basic != null && basic.startsWith("Basic ")
                ? "basic " + new String(java.util.Base64.getDecoder().decode(basic.substring(6))).split(":")[0]
                : "post " + params.get("client_id");
        if (introspectionDelayMillis > 0) {
            try {
                Thread.sleep(introspectionDelayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (introspectionStatus != 200) {
            respond(exchange, introspectionStatus, "{\"error\":\"temporarily_unavailable\"}");
            return;
        }
        String token = params.getOrDefault("token", "");
        String[] parts = token.split("\\.");
        if (revoked.contains(token)) {
            respond(exchange, "{\"active\":false}");
        } else if (answers.containsKey(token)) {
            respond(exchange, answers.get(token));
        } else if (parts.length == 3) {
            String claims = new String(java.util.Base64.getUrlDecoder().decode(parts[1]),
                    java.nio.charset.StandardCharsets.UTF_8);
            respond(exchange, "{\"active\":true," + claims.substring(1));
        } else {
            respond(exchange, "{\"active\":false}");
        }
    }

    /** From now on, DPoP token requests must carry this nonce; without it they get {@code use_dpop_nonce}. */
    public void requireDpopNonce(String nonce) {
        requiredDpopNonce = nonce;
    }

    /** The claims of every DPoP proof the token endpoint received (signature verified), oldest first. */
    public List<java.util.Map<String, Object>> tokenProofs() {
        return List.copyOf(tokenProofs);
    }

    /**
     * A client-credentials token endpoint that trusts any client: a {@code read:messages} token for it. With a DPoP
     * proof (RFC 9449 section 5) whose signature verifies with its own key, the token is bound to that key
     * ({@code cnf.jkt}) and its type is {@code DPoP}; {@link #requireDpopNonce} makes it ask for a nonce first.
     */
    private void token(HttpExchange exchange) throws IOException {
        tokenRequests.incrementAndGet();
        exchange.getRequestBody().readAllBytes();
        long lifetime = tokenLifetimeSeconds;
        JwtClaimsBuilder claims = claims("caller").claim("scope", "read:messages").expiresIn(lifetime);
        String proof = exchange.getRequestHeaders().getFirst("DPoP");
        if (proof != null) {
            try {
                org.jose4j.jws.JsonWebSignature jws = new org.jose4j.jws.JsonWebSignature();
                jws.setCompactSerialization(proof);
                jws.setKey(jws.getJwkHeader().getKey());
                java.util.Map<String, Object> proofClaims = org.jose4j.json.JsonUtil.parseJson(jws.getPayload());
                tokenProofs.add(proofClaims);
                String nonce = requiredDpopNonce;
                if (nonce != null && !nonce.equals(proofClaims.get("nonce"))) {
                    exchange.getResponseHeaders().add("DPoP-Nonce", nonce);
                    respond(exchange, 400, """
                            {"error":"use_dpop_nonce","error_description":"Authorization server requires nonce in DPoP proof"}""");
                    return;
                }
                claims.claim("cnf", java.util.Map.of("jkt", jws.getJwkHeader().calculateBase64urlEncodedThumbprint("SHA-256")));
            } catch (org.jose4j.lang.JoseException e) {
                respond(exchange, 400, "{\"error\":\"invalid_dpop_proof\"}");
                return;
            }
        }
        respond(exchange, """
                {"access_token":"%s","token_type":"%s","expires_in":%d}""".formatted(sign(claims),
                proof == null ? "Bearer" : "DPoP", lifetime));
    }

    private static String base64Url(byte[] bigEndian) {
        // BigInteger.toByteArray() may prepend a sign byte; JWK wants the unsigned magnitude.
        int skip = bigEndian.length > 1 && bigEndian[0] == 0 ? 1 : 0;
        byte[] unsigned = java.util.Arrays.copyOfRange(bigEndian, skip, bigEndian.length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(unsigned);
    }

    private static void respond(HttpExchange exchange, String json) throws IOException {
        respond(exchange, 200, json);
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
