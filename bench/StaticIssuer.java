// A static OIDC issuer for the benchmark (bench/run.sh), run with the JDK's source launcher: no build, no
// dependencies. It serves a discovery document and a JWKS on 127.0.0.1 and writes RS256 tokens to files:
//   reused.txt (one token), distinct.txt (1,000 tokens, one per line), invalid.txt (1,000 tokens signed with a key
//   it does not publish), dpop.txt (one token bound to an EC P-256 key, RFC 9449 cnf.jkt) and dpop-key.txt (that key:
//   its PKCS#8 in base64, then x and y, one per line, for DpopProofs.java), and dpop-rsa.txt / dpop-rsa-key.txt the
//   same for an RSA key (PKCS#8, n, e), and opaque.txt (an opaque token its introspection endpoint, RFC 7662, says is
//   active; it says so, with their claims, of JWT-shaped tokens too, and "active": false of anything else), and, when
//   OUT_DIR/tls/client.pem exists, bound.txt (one token bound to that certificate, RFC 8705 cnf.x5t#S256) and
//   bound-cert.txt (the certificate URL-encoded, as nginx ingress forwards it in ssl-client-cert). Not part of the product: the
//   service never depends on it.
//
//   java bench/StaticIssuer.java PORT OUT_DIR
import com.sun.net.httpserver.HttpServer;

import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

public class StaticIssuer {

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        int skip = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
        return b64(java.util.Arrays.copyOfRange(bytes, skip, bytes.length));
    }

    static String token(String issuer, String kid, PrivateKey key, String client, long exp) throws Exception {
        return token(issuer, kid, key, client, exp, "");
    }

    static String token(String issuer, String kid, PrivateKey key, String client, long exp, String extraClaims)
            throws Exception {
        String header = b64(("{\"alg\":\"RS256\",\"kid\":\"" + kid + "\",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8));
        long now = System.currentTimeMillis() / 1000;
        String claims = "{\"iss\":\"" + issuer + "\",\"sub\":\"" + client + "\",\"client_id\":\"" + client
                + "\",\"aud\":\"api://messages\",\"scope\":\"read:messages\",\"iat\":" + now + ",\"exp\":" + exp
                + ",\"jti\":\"" + java.util.UUID.randomUUID() + "\"" + extraClaims + "}";
        String input = header + "." + b64(claims.getBytes(StandardCharsets.UTF_8));
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initSign(key);
        rs256.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b64(rs256.sign());
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        String issuer = "http://127.0.0.1:" + port;
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair published = generator.generateKeyPair();
        KeyPair stranger = generator.generateKeyPair();
        RSAPublicKey pub = (RSAPublicKey) published.getPublic();
        String jwks = "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"bench-1\",\"n\":\""
                + unsigned(pub.getModulus()) + "\",\"e\":\"" + unsigned(pub.getPublicExponent()) + "\"}]}";
        String discovery = "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks\",\"token_endpoint\":\""
                + issuer + "/token\",\"introspection_endpoint\":\"" + issuer + "/introspect\","
                + "\"response_types_supported\":[\"token\"],\"subject_types_supported\":[\"public\"],"
                + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}";

        long exp = System.currentTimeMillis() / 1000 + 6 * 3600;
        Files.writeString(out.resolve("reused.txt"), token(issuer, "bench-1", published.getPrivate(), "bench-client", exp));
        List<String> distinct = new ArrayList<>();
        List<String> invalid = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            distinct.add(token(issuer, "bench-1", published.getPrivate(), "bench-client-" + i, exp));
            invalid.add(token(issuer, "bench-1", stranger.getPrivate(), "forger-" + i, exp));
        }
        Files.write(out.resolve("distinct.txt"), distinct);
        Files.write(out.resolve("invalid.txt"), invalid);

        // A DPoP key and a token bound to it: cnf.jkt is the key's RFC 7638 thumbprint.
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        KeyPair dpop = ec.generateKeyPair();
        java.security.spec.ECPoint w = ((java.security.interfaces.ECPublicKey) dpop.getPublic()).getW();
        String x = b64(coordinate(w.getAffineX())), y = b64(coordinate(w.getAffineY()));
        String thumbprint = b64(java.security.MessageDigest.getInstance("SHA-256").digest(
                ("{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + x + "\",\"y\":\"" + y + "\"}")
                        .getBytes(StandardCharsets.UTF_8)));
        Files.writeString(out.resolve("dpop.txt"), token(issuer, "bench-1", published.getPrivate(), "bench-dpop-client",
                exp, ",\"cnf\":{\"jkt\":\"" + thumbprint + "\"}"));
        Files.write(out.resolve("dpop-key.txt"), List.of(Base64.getEncoder().encodeToString(dpop.getPrivate().getEncoded()),
                x, y));
        // The same with an RSA key (RS256 proofs): dpop-rsa.txt, dpop-rsa-key.txt (PKCS#8, n, e).
        KeyPair dpopRsa = generator.generateKeyPair();
        RSAPublicKey rsa = (RSAPublicKey) dpopRsa.getPublic();
        String n = unsigned(rsa.getModulus()), exponent = unsigned(rsa.getPublicExponent());
        String rsaThumbprint = b64(java.security.MessageDigest.getInstance("SHA-256").digest(
                ("{\"e\":\"" + exponent + "\",\"kty\":\"RSA\",\"n\":\"" + n + "\"}").getBytes(StandardCharsets.UTF_8)));
        Files.writeString(out.resolve("dpop-rsa.txt"), token(issuer, "bench-1", published.getPrivate(),
                "bench-dpop-client", exp, ",\"cnf\":{\"jkt\":\"" + rsaThumbprint + "\"}"));
        Files.write(out.resolve("dpop-rsa-key.txt"), List.of(
                Base64.getEncoder().encodeToString(dpopRsa.getPrivate().getEncoded()), n, exponent));

        // A certificate-bound token (RFC 8705): cnf.x5t#S256 is the SHA-256 of the certificate's DER, base64url.
        Path certificate = out.resolve("tls/client.pem");
        if (Files.isRegularFile(certificate)) {
            String pem = Files.readString(certificate, StandardCharsets.US_ASCII);
            byte[] der = java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .getEncoded();
            String x5t = b64(java.security.MessageDigest.getInstance("SHA-256").digest(der));
            Files.writeString(out.resolve("bound.txt"), token(issuer, "bench-1", published.getPrivate(),
                    "bench-mtls-client", exp, ",\"cnf\":{\"x5t#S256\":\"" + x5t + "\"}"));
            Files.writeString(out.resolve("bound-cert.txt"), java.net.URLEncoder.encode(pem, StandardCharsets.UTF_8));
        }

        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/.well-known/openid-configuration", e -> respond(e, discovery));
        server.createContext("/jwks", e -> respond(e, jwks));
        String opaque = "opaque-bench-" + java.util.UUID.randomUUID();
        Files.writeString(out.resolve("opaque.txt"), opaque);
        String opaqueAnswer = "{\"active\":true,\"iss\":\"" + issuer + "\",\"client_id\":\"bench-opaque-client\","
                + "\"sub\":\"bench-opaque-client\",\"aud\":\"api://messages\",\"scope\":\"read:messages\",\"exp\":" + exp
                + "}";
        server.createContext("/introspect", e -> {
            String form = new String(e.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String token = "";
            for (String pair : form.split("&")) {
                if (pair.startsWith("token=")) {
                    token = java.net.URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
                }
            }
            String[] parts = token.split("\\.");
            if (token.equals(opaque)) {
                respond(e, opaqueAnswer);
            } else if (parts.length == 3) {
                String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
                respond(e, "{\"active\":true," + claims.substring(1));
            } else {
                respond(e, "{\"active\":false}");
            }
        });
        server.start();
        System.out.println("issuer ready on " + issuer);
    }

    /** A P-256 coordinate as JWK wants it: exactly 32 bytes, big-endian. */
    static byte[] coordinate(BigInteger value) {
        byte[] bytes = value.toByteArray();
        byte[] fixed = new byte[32];
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, fixed, 32 - length, length);
        return fixed;
    }

    static void respond(com.sun.net.httpserver.HttpExchange exchange, String json) throws java.io.IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(body);
        }
    }
}
