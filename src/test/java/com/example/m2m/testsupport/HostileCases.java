package com.example.m2m.testsupport;

import static com.example.m2m.testsupport.TokenForge.b64;
import static com.example.m2m.testsupport.TokenForge.now;
import static com.example.m2m.testsupport.TokenForge.part;
import static com.example.m2m.testsupport.TokenForge.without;
import static io.restassured.RestAssured.given;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The one list of hostile or broken requests, each with the answer it must get (never a 500, never a 200 it should
 * not get). Used by the hostile suite in process ({@code HostileRequestsTest}), against the packaged service
 * ({@code HostileRequestsIT}), and twice per token through the verified-token cache ({@code CachedTokensTest}).
 * It covers RFC 6750 section 2.1 (the header), RFC 7515 / 7519 parsing (encodings, JSON types, duplicate members),
 * and every rule of RFC 8725 section 3 that applies to a resource server taking signed access tokens: algorithm
 * verification and confusion (3.1, 3.2), UTF-8 (3.7), issuer and subject (3.8), audience (3.9), untrusted header
 * parameters (3.10), explicit typing (3.11) and kinds of JWT kept apart (3.12), plus RFC 9449 / 8705 bound tokens.
 */
public final class HostileCases {

    public static final String PROTECTED = "/api/messages/protected";
    public static final String ADMIN = "/api/messages/admin";

    /**
     * A hostile case: what to send, where, and the answer. {@code error}: the RFC 6750 / RFC 9449 error code the
     * challenge must carry, "" for a challenge without one, null where the request must succeed. {@code scheme}: the
     * challenge's scheme, {@code Bearer} or {@code DPoP} ({@link #BOTH} when no token was sent).
     */
    public record HostileCase(String name, String path, int status, String error, String scheme,
            Function<TokenForge, Request> request) {

        public HostileCase(String name, String path, int status, String error, Function<TokenForge, Request> request) {
            this(name, path, status, error, "".equals(error) ? BOTH : BEARER, request);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    public static final String BEARER = "Bearer";
    public static final String DPOP = "DPoP";
    /** No token was sent: a challenge for each scheme, without an error code. */
    public static final String BOTH = "Bearer and DPoP";

    /**
     * A request made once (its tokens fixed), that may be sent several times; {@code fresh} makes headers anew for
     * each sending (a DPoP proof is used once).
     */
    public record Request(List<String[]> headers, Map<String, String> query, List<String> tokens,
            Supplier<List<String[]>> fresh) {

        public Request(List<String[]> headers, Map<String, String> query, List<String> tokens) {
            this(headers, query, tokens, List::of);
        }

        public static Request none() {
            return new Request(List.of(), Map.of(), List.of());
        }

        public static Request bearer(String token) {
            return new Request(List.<String[]> of(new String[] { "Authorization", "Bearer " + token }), Map.of(),
                    List.of(token));
        }

        public static Request authorization(String value) {
            return new Request(List.<String[]> of(new String[] { "Authorization", value }), Map.of(), List.of(value));
        }

        /** {@code Authorization: DPoP <token>} with a new proof from {@code proof} each time it is sent. */
        public static Request dpop(String token, Supplier<String> proof) {
            return new Request(List.<String[]> of(new String[] { "Authorization", "DPoP " + token }), Map.of(),
                    List.of(token), () -> List.<String[]> of(new String[] { "DPoP", proof.get() }));
        }

        public Request and(String name, String value) {
            List<String[]> more = new ArrayList<>(headers);
            more.add(new String[] { name, value });
            List<String> sent = new ArrayList<>(tokens);
            sent.add(value);
            return new Request(more, query, sent, fresh);
        }

        public Request query(String name, String value) {
            List<String> sent = new ArrayList<>(tokens);
            sent.add(value);
            return new Request(headers, Map.of(name, value), sent, fresh);
        }

        public RequestSpecification spec() {
            RequestSpecification spec = given().urlEncodingEnabled(true);
            for (String[] header : headers) {
                spec = spec.header(header[0], header[1]);
            }
            for (String[] header : fresh.get()) {
                spec = spec.header(header[0], header[1]);
            }
            return query.isEmpty() ? spec : spec.queryParams(query);
        }
    }

    private HostileCases() {
    }

    /** A valid token bound to the caller's test certificate (RFC 8705 section 3.1). */
    private static String certificateBound(TokenForge f) {
        return f.token(f.header(), f.claims().put("cnf", new JsonObject().put("x5t#S256",
                TestCertificates.thumbprint(TestCertificates.CALLER))));
    }

    /** The caller's test certificate as PEM, as a proxy would forward it. */
    private static String callerCertificatePem() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(TestCertificates.file(TestCertificates.CALLER)),
                    StandardCharsets.US_ASCII);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static HostileCase c(String name, int status, String error, Function<TokenForge, Request> request) {
        return new HostileCase(name, PROTECTED, status, error, request);
    }

    private static HostileCase refused(String name, Function<TokenForge, String> token) {
        return c(name, 401, "invalid_token", f -> Request.bearer(token.apply(f)));
    }

    private static HostileCase accepted(String name, Function<TokenForge, String> token) {
        return c(name, 200, null, f -> Request.bearer(token.apply(f)));
    }

    /** Raw payload JSON with the valid claims' values, and {@code extra} members appended verbatim. */
    private static String rawClaims(TokenForge f, String extra) {
        String valid = f.claims().encode();
        return valid.substring(0, valid.length() - 1) + extra + "}";
    }

    public static List<HostileCase> all() {
        List<HostileCase> cases = new ArrayList<>();

        // ---- RFC 6750 section 2.1: the Authorization header ----
        cases.add(c("no Authorization header", 401, "", f -> Request.none()));
        cases.add(c("Bearer without credentials", 400, "invalid_request", f -> Request.authorization("Bearer")));
        cases.add(c("Bearer with only spaces", 400, "invalid_request", f -> Request.authorization("Bearer    ")));
        cases.add(c("Bearer with two words", 400, "invalid_request", f -> Request.authorization("Bearer abc def")));
        cases.add(c("Bearer with characters outside b64token", 400, "invalid_request",
                f -> Request.authorization("Bearer abc$def")));
        cases.add(c("a valid token followed by a second word", 400, "invalid_request",
                f -> Request.authorization("Bearer " + f.good() + " x")));
        cases.add(c("a valid token followed by a comma", 400, "invalid_request",
                f -> Request.authorization("Bearer " + f.good() + ",")));
        cases.add(c("a quote in the credentials", 400, "invalid_request",
                f -> Request.authorization("Bearer \"" + f.good() + "\"")));
        cases.add(c("padding in the middle of the credentials", 400, "invalid_request",
                f -> Request.authorization("Bearer ab==cd")));
        cases.add(c("bad base64url in the payload", 400, "invalid_request",
                f -> Request.authorization("Bearer " + part(f.good(), 0) + ".eyJ*!@." + part(f.good(), 2))));
        cases.add(c("two Authorization headers", 400, "invalid_request",
                f -> Request.bearer(f.good()).and("Authorization", "Bearer " + f.good())));
        cases.add(c("Basic credentials", 401, "", f -> Request.authorization("Basic dXNlcjpwYXNz")));
        cases.add(c("a token without a scheme", 401, "", f -> Request.authorization(f.good())));
        cases.add(c("a tab instead of a space", 401, "", f -> Request.authorization("Bearer\t" + f.good())));
        cases.add(c("the scheme glued to the token", 401, "", f -> Request.authorization("Bearer" + f.good())));
        cases.add(c("a scheme that starts like Bearer", 401, "", f -> Request.authorization("Bearerx " + f.good())));
        cases.add(c("token in the query string is ignored", 401, "",
                f -> Request.none().query("access_token", f.good())));
        cases.add(c("token in a form-like header is ignored", 401, "",
                f -> Request.none().and("access_token", f.good())));

        // ---- RFC 7515 section 2 / RFC 7519 section 3: base64url without padding, one canonical form ----
        cases.add(refused("padding on the signature", f -> f.good() + "=="));
        // (padding inside the token is not even a b64token: RFC 6750 allows '=' only at the end)
        cases.add(c("padding on the header segment", 400, "invalid_request", f -> {
            String t = f.token(f.header().put("x", "y"), f.claims());
            return Request.bearer(part(t, 0) + "=." + part(t, 1) + "." + part(t, 2));
        }));
        cases.add(c("padding on the payload segment", 400, "invalid_request", f -> {
            String t = f.good();
            return Request.bearer(part(t, 0) + "." + part(t, 1) + "=." + part(t, 2));
        }));
        cases.add(c("a correctly signed token with a padded payload segment", 400, "invalid_request",
                f -> Request.bearer(paddedPayload(f))));
        cases.add(refused("standard base64 characters (+ /) in the signature", f -> {
            String t = f.good();
            String sig = part(t, 2).replace('-', '+').replace('_', '/');
            return part(t, 0) + "." + part(t, 1) + "." + (sig.equals(part(t, 2)) ? sig + "+" : sig);
        }));
        cases.add(refused("non-zero unused bits at the end of the signature", f -> {
            String t = f.good();
            String sig = part(t, 2);
            char last = sig.charAt(sig.length() - 1);
            return part(t, 0) + "." + part(t, 1) + "." + sig.substring(0, sig.length() - 1) + strayBits(last);
        }));
        cases.add(refused("a correctly signed token with non-zero unused bits in the payload", f -> {
            JsonObject claims = f.claims();
            String payload = b64(claims.encode());
            while (payload.length() % 4 != 2) {
                claims.put("pad", claims.getString("pad", "") + "x");
                payload = b64(claims.encode());
            }
            String stray = payload.substring(0, payload.length() - 1) + strayBits(payload.charAt(payload.length() - 1));
            return TokenForge.signEncoded(b64(f.header().encode()), stray, f.issuer().currentKey().pair().getPrivate());
        }));
        cases.add(refused("a signature segment one character too long", f -> f.good() + "A"));
        cases.add(refused("an empty header segment", f -> "." + part(f.good(), 1) + "." + part(f.good(), 2)));
        cases.add(refused("an empty payload segment", f -> part(f.good(), 0) + ".." + part(f.good(), 2)));
        cases.add(refused("empty bearer string of dots", f -> ".."));

        // ---- RFC 8725 section 3.7: UTF-8 ----
        cases.add(refused("a byte order mark before the header JSON", f -> TokenForge.signEncoded(
                b64(("\uFEFF" + f.header().encode())), b64(f.claims().encode()),
                f.issuer().currentKey().pair().getPrivate())));
        cases.add(refused("a payload that is not UTF-8", f -> {
            byte[] json = f.claims().put("sub", "caller-\u00e9").encode().getBytes(StandardCharsets.UTF_8);
            byte[] latin1 = new String(json, StandardCharsets.UTF_8).getBytes(StandardCharsets.ISO_8859_1);
            return TokenForge.signEncoded(b64(f.header().encode()), b64(latin1),
                    f.issuer().currentKey().pair().getPrivate());
        }));
        cases.add(refused("a header that is not UTF-8", f -> {
            byte[] latin1 = f.header().put("x", "\u00e9").encode().getBytes(StandardCharsets.ISO_8859_1);
            return TokenForge.signEncoded(b64(latin1), b64(f.claims().encode()),
                    f.issuer().currentKey().pair().getPrivate());
        }));

        // ---- RFC 8725 sections 3.1 and 3.2: algorithms ----
        cases.add(refused("alg none, no signature",
                f -> b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + part(f.good(), 1) + "."));
        cases.add(refused("alg none, signature kept",
                f -> b64("{\"alg\":\"none\"}") + "." + part(f.good(), 1) + "." + part(f.good(), 2)));
        cases.add(refused("alg NONE in capitals", f -> b64("{\"alg\":\"NONE\"}") + "." + part(f.good(), 1) + "."));
        cases.add(refused("alg None", f -> b64("{\"alg\":\"None\"}") + "." + part(f.good(), 1) + "."));
        cases.add(refused("alg empty", f -> f.token(f.header().put("alg", ""), f.claims())));
        cases.add(refused("alg missing", f -> f.token(without(f.header(), "alg"), f.claims())));
        cases.add(refused("alg null", f -> f.token(f.header().putNull("alg"), f.claims())));
        cases.add(refused("alg a number", f -> f.token(f.header().put("alg", 256), f.claims())));
        cases.add(refused("alg an array", f -> f.token(f.header().put("alg", new JsonArray().add("RS256")), f.claims())));
        cases.add(refused("alg rs256 in lower case", f -> f.token(f.header().put("alg", "rs256"), f.claims())));
        cases.add(refused("HS256 signed with the RSA public key as the secret", f -> hmac(f,
                ((RSAPublicKey) f.issuer().currentKey().pair().getPublic()).getEncoded(), "HS256")));
        cases.add(refused("HS256 with a guessed secret", f -> hmac(f,
                "secretsecretsecretsecretsecretse".getBytes(StandardCharsets.UTF_8), "HS256")));
        cases.add(refused("HS512 with the JWKS modulus as the secret", f -> hmac(f,
                ((RSAPublicKey) f.issuer().currentKey().pair().getPublic()).getModulus().toByteArray(), "HS512")));
        cases.add(refused("PS256 signed with the issuer's key, published for RS256", f -> TokenForge.signEncoded(
                b64(f.header().put("alg", "PS256").encode()), b64(f.claims().encode()),
                f.issuer().currentKey().pair().getPrivate(), "RSASSA-PSS")));
        cases.add(refused("RS512 signed with the issuer's key, published for RS256", f -> TokenForge.signEncoded(
                b64(f.header().put("alg", "RS512").encode()), b64(f.claims().encode()),
                f.issuer().currentKey().pair().getPrivate(), "SHA512withRSA")));
        cases.add(refused("PS256 header over an RS256 signature", f -> f.token(f.header().put("alg", "PS256"), f.claims())));
        cases.add(refused("ES256 by the attacker's EC key under the issuer's kid", f -> {
            KeyPair ec = ecKeyPair();
            return TokenForge.signEncoded(b64(f.header().put("alg", "ES256").encode()), b64(f.claims().encode()),
                    ec.getPrivate(), "SHA256withECDSAinP1363Format");
        }));
        cases.add(refused("signed with an unpublished key, same kid", f -> TokenForge.signEncoded(
                b64(f.header().encode()), b64(f.claims().encode()), LocalIssuer.newKeyFast("x").pair().getPrivate())));
        cases.add(refused("unknown kid", f -> foreign(f, f.header().put("kid", "no-such-key"))));
        cases.add(refused("no kid at all, foreign key", f -> foreign(f, without(f.header(), "kid"))));
        cases.add(refused("kid with path characters", f -> foreign(f, f.header().put("kid", "../../../etc/passwd"))));
        cases.add(refused("kid that is a URL", f -> foreign(f, f.header().put("kid", f.attacker().url() + "/jwks"))));
        cases.add(refused("kid with SQL", f -> foreign(f, f.header().put("kid", "' OR '1'='1"))));
        cases.add(refused("kid of 4,000 characters", f -> foreign(f, f.header().put("kid", "k".repeat(4000)))));
        cases.add(refused("kid a number", f -> f.token(f.header().put("kid", 1), f.claims())));
        cases.add(refused("kid null, foreign key", f -> foreign(f, f.header().putNull("kid"))));
        cases.add(refused("signature stripped", f -> part(f.good(), 0) + "." + part(f.good(), 1) + "."));
        cases.add(refused("another token's signature", f -> {
            String a = f.good();
            String b = f.token(f.header(), f.claims().put("sub", "someone-else"));
            return part(a, 0) + "." + part(a, 1) + "." + part(b, 2);
        }));
        cases.add(refused("a random signature", f -> part(f.good(), 0) + "." + part(f.good(), 1) + "."
                + b64(new byte[256])));
        cases.add(refused("a truncated signature", f -> {
            String t = f.good();
            return t.substring(0, t.length() - 4);
        }));
        cases.add(refused("tampered payload", f -> part(f.good(), 0) + "." + b64(f.claims()
                .put("scope", "read:messages admin:messages").encode()) + "." + part(f.good(), 2)));
        cases.add(refused("tampered header", f -> b64(f.header().put("typ", "JWT").encode()) + "."
                + part(f.good(), 1) + "." + part(f.good(), 2)));

        // ---- RFC 8725 section 3.10: header parameters that must not be trusted ----
        cases.add(refused("jku pointing at the attacker's JWKS", f -> attackerSigned(f,
                f.header().put("jku", f.attacker().url() + "/jwks"))));
        cases.add(refused("x5u pointing at the attacker", f -> attackerSigned(f,
                f.header().put("x5u", f.attacker().url() + "/cert.pem"))));
        cases.add(refused("jwk header embedding the attacker's key", f -> attackerSigned(f,
                f.header().put("jwk", new JsonObject(f.attackerJwk())))));
        cases.add(refused("jwk header embedding the attacker's key, no kid", f -> attackerSigned(f,
                without(f.header(), "kid").put("jwk", new JsonObject(f.attackerJwk())))));
        cases.add(refused("x5c header with garbage", f -> attackerSigned(f,
                f.header().put("x5c", new JsonArray().add("MIIB")))));
        cases.add(refused("crit header with an unknown extension", f -> f.token(f.header()
                .put("crit", new JsonArray().add("x-unknown")).put("x-unknown", true), f.claims())));
        cases.add(refused("crit empty", f -> f.token(f.header().put("crit", new JsonArray()), f.claims())));
        cases.add(refused("crit naming a standard header", f -> f.token(f.header()
                .put("crit", new JsonArray().add("alg")), f.claims())));
        cases.add(c("unencoded payload (b64 false, RFC 7797)", 400, "invalid_request", f -> {
            String header = b64(f.header().put("b64", false).put("crit", new JsonArray().add("b64")).encode());
            return Request.bearer(TokenForge.signEncoded(header, f.claims().encode().replace(".", ""),
                    f.issuer().currentKey().pair().getPrivate()));
        }));
        cases.add(refused("b64 false without crit, signed over the encoded payload", f -> f.token(f.header()
                .put("b64", false), f.claims())));
        cases.add(refused("a nested JWT (cty JWT)", f -> f.token(f.header().put("cty", "JWT"), f.claims())));

        // ---- RFC 8725 sections 3.11 and 3.12: explicit typing, other kinds of JWT ----
        cases.add(refused("typ of a security event token", f -> f.token(f.header().put("typ", "secevent+jwt"), f.claims())));
        cases.add(refused("typ of a logout token", f -> f.token(f.header().put("typ", "logout+jwt"), f.claims())));
        cases.add(refused("typ of a DPoP proof", f -> f.token(f.header().put("typ", "dpop+jwt"), f.claims())));
        cases.add(refused("typ application/secevent+jwt", f -> f.token(f.header()
                .put("typ", "application/secevent+jwt"), f.claims())));
        cases.add(refused("typ JOSE", f -> f.token(f.header().put("typ", "JOSE"), f.claims())));
        cases.add(refused("typ empty", f -> f.token(f.header().put("typ", ""), f.claims())));
        cases.add(refused("typ a number", f -> f.token(f.header().put("typ", 1), f.claims())));
        cases.add(refused("typ an array", f -> f.token(f.header().put("typ", new JsonArray().add("JWT")), f.claims())));
        cases.add(refused("typ null", f -> f.token(f.header().putNull("typ"), f.claims())));
        cases.add(refused("typ at+jwt with a prefix glued on", f -> f.token(f.header().put("typ", "xat+jwt"), f.claims())));
        cases.add(refused("an ID token of the issuer for a client (aud is the client)", f -> f.token(f.header(),
                f.claims().put("aud", "some-client").put("nonce", "n-0S6_WzA2Mj").put("auth_time", now()))));
        // Kinds of token a provider issues beside access tokens, with this API's audience (Entra ID v2.0: an ID token
        // of the API app itself has aud = the API's application id; Cognito: token_use says what a token is).
        cases.add(refused("an ID token with this API's audience (nonce)", f -> f.token(f.header(),
                f.claims().put("nonce", "n-0S6_WzA2Mj"))));
        cases.add(refused("an ID token with this API's audience (at_hash)", f -> f.token(f.header(),
                f.claims().put("at_hash", "77QmUPtjPfzWtF2AnpK9RQ"))));
        cases.add(refused("a Cognito ID token (token_use id)", f -> f.token(f.header(),
                f.claims().put("token_use", "id"))));
        cases.add(refused("token_use not a string", f -> f.token(f.header(), f.claims().put("token_use",
                new JsonArray().add("access")))));
        accepted(cases, "token_use access is accepted", f -> f.token(f.header(), f.claims().put("token_use", "access")));
        accepted(cases, "typ JWT is accepted", f -> f.token(f.header().put("typ", "JWT"), f.claims()));
        accepted(cases, "typ jwt in lower case is accepted", f -> f.token(f.header().put("typ", "jwt"), f.claims()));
        accepted(cases, "typ at+jwt is accepted", f -> f.token(f.header().put("typ", "at+jwt"), f.claims()));
        accepted(cases, "typ application/at+jwt is accepted", f -> f.token(f.header()
                .put("typ", "application/at+jwt"), f.claims()));
        accepted(cases, "typ AT+JWT in capitals is accepted", f -> f.token(f.header().put("typ", "AT+JWT"), f.claims()));

        // ---- RFC 7519 section 4.1 and RFC 8725 sections 3.8, 3.9: claims and their types ----
        cases.add(refused("expired", f -> f.token(f.header(), f.claims().put("iat", now() - 900).put("exp", now() - 600))));
        cases.add(refused("expired a second ago", f -> f.token(f.header(), f.claims().put("exp", now() - 1))));
        cases.add(refused("exp zero", f -> f.token(f.header(), f.claims().put("exp", 0))));
        cases.add(refused("missing exp", f -> f.token(f.header(), without(f.claims(), "exp"))));
        cases.add(refused("exp as a string", f -> f.token(f.header(), f.claims().put("exp", "tomorrow"))));
        cases.add(refused("exp as a numeric string", f -> f.token(f.header(), f.claims().put("exp", String.valueOf(now() + 300)))));
        cases.add(refused("exp as a boolean", f -> f.token(f.header(), f.claims().put("exp", true))));
        cases.add(refused("exp as an array", f -> f.token(f.header(), f.claims().put("exp", new JsonArray().add(now() + 300)))));
        cases.add(refused("nbf in the future", f -> f.token(f.header(), f.claims().put("nbf", now() + 600))));
        cases.add(refused("nbf as a string", f -> f.token(f.header(), f.claims().put("nbf", "now"))));
        cases.add(refused("iat a day in the future", f -> f.token(f.header(), f.claims().put("iat", now() + 86400)
                .put("exp", now() + 90000))));
        cases.add(refused("iat two minutes in the future (beyond the clock skew)", f -> f.token(f.header(),
                f.claims().put("iat", now() + 120))));
        cases.add(refused("missing iat", f -> f.token(f.header(), without(f.claims(), "iat"))));
        cases.add(refused("iat as a string", f -> f.token(f.header(), f.claims().put("iat", "yesterday"))));
        cases.add(refused("wrong issuer, right key", f -> f.token(f.header(), f.claims().put("iss", "https://evil.example"))));
        cases.add(refused("issuer with a trailing slash added", f -> f.token(f.header(),
                f.claims().put("iss", f.issuer().url() + "/"))));
        cases.add(refused("issuer in upper case", f -> f.token(f.header(),
                f.claims().put("iss", f.issuer().url().toUpperCase()))));
        cases.add(refused("missing issuer", f -> f.token(f.header(), without(f.claims(), "iss"))));
        cases.add(refused("issuer a number", f -> f.token(f.header(), f.claims().put("iss", 1))));
        cases.add(refused("issuer an array", f -> f.token(f.header(), f.claims().put("iss",
                new JsonArray().add(f.issuer().url())))));
        cases.add(refused("issuer null", f -> f.token(f.header(), f.claims().putNull("iss"))));
        cases.add(refused("wrong audience", f -> f.token(f.header(), f.claims().put("aud", "api://other"))));
        cases.add(refused("missing audience", f -> f.token(f.header(), without(f.claims(), "aud"))));
        cases.add(refused("audience in upper case", f -> f.token(f.header(), f.claims().put("aud", "API://MESSAGES"))));
        cases.add(refused("audience empty", f -> f.token(f.header(), f.claims().put("aud", ""))));
        cases.add(refused("audience a number", f -> f.token(f.header(), f.claims().put("aud", 7))));
        cases.add(refused("audience an array of numbers", f -> f.token(f.header(), f.claims().put("aud",
                new JsonArray().add(1).add(2)))));
        cases.add(refused("audience an object", f -> f.token(f.header(), f.claims().put("aud",
                new JsonObject().put("api://messages", true)))));
        cases.add(refused("subject a number", f -> f.token(f.header(), f.claims().put("sub", 42))));
        cases.add(refused("subject an object", f -> f.token(f.header(), f.claims().put("sub", new JsonObject()))));
        cases.add(refused("client_id a number", f -> f.token(f.header(), f.claims().put("client_id", 42))));
        cases.add(refused("jti a number", f -> f.token(f.header(), f.claims().put("jti", 42))));
        cases.add(refused("scope a number", f -> f.token(f.header(), f.claims().put("scope", 42))));
        cases.add(refused("scope an array", f -> f.token(f.header(), f.claims().put("scope",
                new JsonArray().add("read:messages")))));
        cases.add(refused("scp an array of numbers", f -> f.token(f.header(), without(f.claims(), "scope")
                .put("scp", new JsonArray().add(1)))));
        cases.add(refused("scp an object", f -> f.token(f.header(), without(f.claims(), "scope")
                .put("scp", new JsonObject().put("read:messages", true)))));
        cases.add(refused("a token from another issuer with the same kid", f -> f.attacker().sign(
                f.attacker().claims("caller").claim("scope", "read:messages"))));
        cases.add(refused("a token of the attacker's issuer naming our issuer", f -> TokenForge.signEncoded(
                b64(f.header().encode()), b64(f.claims().encode()), f.attacker().currentKey().pair().getPrivate())));
        accepted(cases, "iat thirty seconds ahead is within the clock skew", f -> f.token(f.header(),
                f.claims().put("iat", now() + 30)));
        accepted(cases, "an audience array holding this API", f -> f.token(f.header(), f.claims().put("aud",
                new JsonArray().add("api://other").add("api://messages"))));

        // ---- RFC 7515 section 5.2 / RFC 8725: duplicate members are refused, not resolved ----
        cases.add(refused("duplicate scope claim raising the scope", f -> f.raw(f.header().encode(),
                rawClaims(f, ",\"scope\":\"read:messages admin:messages\""))));
        cases.add(refused("duplicate iss claim", f -> f.raw(f.header().encode(), rawClaims(f, ",\"iss\":\"https://evil.example\""))));
        cases.add(refused("duplicate exp claim extending the life", f -> f.raw(f.header().encode(),
                rawClaims(f, ",\"exp\":" + (now() + 86400 * 365)))));
        cases.add(refused("duplicate alg header", f -> f.raw("{\"alg\":\"RS256\",\"kid\":\"" + f.issuer().currentKey().kid()
                + "\",\"alg\":\"none\"}", f.claims().encode())));
        cases.add(refused("duplicate kid header", f -> f.raw("{\"alg\":\"RS256\",\"kid\":\"" + f.issuer().currentKey().kid()
                + "\",\"kid\":\"other\"}", f.claims().encode())));
        cases.add(refused("duplicate typ header", f -> f.raw(f.header().encode().replace("}",
                ",\"typ\":\"JWT\",\"typ\":\"secevent+jwt\"}"), f.claims().encode())));

        // ---- RFC 9449 section 7.2, RFC 8705 section 3: sender-constrained tokens are not bearer tokens ----
        cases.add(refused("a DPoP-bound token (cnf.jkt) sent as Bearer", f -> f.boundToken("ec")));
        cases.add(c("a DPoP-bound token sent as Bearer with a valid proof beside it", 401, "invalid_token", f -> {
            String token = f.boundToken("ec");
            return Request.bearer(token).and("DPoP", f.proof(f.proofHeader("ec"), TokenForge.proofClaims(PROTECTED, token),
                    "ec"));
        }));
        // RFC 8705 section 3: a certificate-bound token only over a connection presenting that certificate; these
        // requests present none (plain HTTP, and no proxy is trusted: forged forwarding headers change nothing).
        // CertificateBoundTokensIT sends Keycloak's bound tokens over TLS with the right, another and no certificate.
        cases.add(refused("a certificate-bound token (cnf x5t#S256) sent as Bearer without a certificate", f -> f.token(
                f.header(), f.claims().put("cnf", new JsonObject().put("x5t#S256",
                        "bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2")))));
        cases.add(c("a certificate-bound token with a forged nginx ssl-client-cert header of its certificate", 401,
                "invalid_token", f -> Request.bearer(certificateBound(f)).and("ssl-client-cert",
                        URLEncoder.encode(callerCertificatePem(), StandardCharsets.UTF_8))));
        cases.add(c("a certificate-bound token with a forged Envoy x-forwarded-client-cert header of its certificate",
                401, "invalid_token", f -> Request.bearer(certificateBound(f)).and("x-forwarded-client-cert",
                        "Hash=" + HexFormat.of().formatHex(Base64.getUrlDecoder().decode(
                                TestCertificates.thumbprint(TestCertificates.CALLER))) + ";Cert=\""
                                + URLEncoder.encode(callerCertificatePem(), StandardCharsets.UTF_8) + "\"")));
        cases.add(refused("a token bound to a DPoP key and a certificate at once (RFC 7800 section 3.1: one key)",
                f -> f.token(f.header(), f.claims().put("cnf", new JsonObject()
                        .put("jkt", TokenForge.thumbprint(f.dpopKey("ec")))
                        .put("x5t#S256", TestCertificates.thumbprint(TestCertificates.CALLER))))));
        cases.add(refused("a certificate-bound token whose thumbprint is base64, not base64url", f -> f.token(f.header(),
                f.claims().put("cnf", new JsonObject().put("x5t#S256", "bwcK0esc3ACC3DB2Y5/lESsXE8o9ltc05O89jdN+dg2")))));
        cases.add(refused("a certificate-bound token whose thumbprint is a number", f -> f.token(f.header(), f.claims()
                .put("cnf", new JsonObject().put("x5t#S256", 42)))));
        cases.add(refused("a certificate-bound token whose thumbprint is the hex SHA-256", f -> f.token(f.header(),
                f.claims().put("cnf", new JsonObject().put("x5t#S256", HexFormat.of().formatHex(Base64.getUrlDecoder()
                        .decode(TestCertificates.thumbprint(TestCertificates.CALLER))))))));
        cases.add(dpop("a certificate-bound token sent as DPoP with a valid proof", 401, "invalid_token", f -> {
            String token = certificateBound(f);
            return Request.dpop(token, () -> f.proof(f.proofHeader("ec"), TokenForge.proofClaims(PROTECTED, token), "ec"));
        }));
        cases.add(refused("a token with an empty cnf", f -> f.token(f.header(), f.claims().put("cnf", new JsonObject()))));
        cases.add(refused("a token with cnf a string", f -> f.token(f.header(), f.claims().put("cnf", "x"))));

        // ---- structure ----
        cases.add(refused("truncated to two segments", f -> part(f.good(), 0) + "." + part(f.good(), 1)));
        cases.add(refused("one segment", f -> part(f.good(), 0)));
        cases.add(refused("an extra fourth segment", f -> f.good() + ".AAAA"));
        cases.add(refused("a JWE (five segments)", f -> b64("{\"alg\":\"RSA-OAEP\",\"enc\":\"A256GCM\",\"kid\":\"key-1\"}")
                + ".AAAA.AAAA.AAAA.AAAA"));
        cases.add(refused("payload is not JSON", f -> f.raw(f.header().encode(), "hello")));
        cases.add(refused("header is not JSON", f -> b64("hello") + "." + part(f.good(), 1) + "." + part(f.good(), 2)));
        cases.add(refused("payload is a JSON array", f -> f.raw(f.header().encode(), "[1,2]")));
        cases.add(refused("payload is a JSON string", f -> f.raw(f.header().encode(), "\"claims\"")));
        cases.add(refused("payload is JSON null", f -> f.raw(f.header().encode(), "null")));
        cases.add(refused("payload with trailing garbage", f -> f.raw(f.header().encode(), f.claims().encode() + "x")));
        cases.add(refused("payload nested 5,000 arrays deep", f -> f.raw(f.header().encode(),
                rawClaims(f, ",\"deep\":" + "[".repeat(5000) + "]".repeat(5000)))));
        cases.add(refused("header is a JSON array", f -> f.raw("[\"RS256\"]", f.claims().encode())));
        cases.add(refused("an opaque string", f -> "not-a-jwt"));
        cases.add(refused("three segments of letters", f -> "a.b.c"));
        cases.add(refused("a 9 KB token", f -> "a".repeat(9 * 1024)));

        // ---- scopes: a valid token, the wrong scope ----
        cases.add(new HostileCase("read scope on the admin endpoint", ADMIN, 403, "insufficient_scope",
                f -> Request.bearer(f.good())));
        cases.add(new HostileCase("no scope on GET /", "/", 403, "insufficient_scope",
                f -> Request.bearer(f.token(f.header(), without(f.claims(), "scope")))));
        cases.add(c("a scope that only contains the needed one", 403, "insufficient_scope",
                f -> Request.bearer(f.token(f.header(), f.claims().put("scope", "read:messages:all")))));
        cases.add(c("the needed scope in upper case", 403, "insufficient_scope",
                f -> Request.bearer(f.token(f.header(), f.claims().put("scope", "READ:MESSAGES")))));
        cases.add(new HostileCase("scopes separated by a tab", ADMIN, 403, "insufficient_scope",
                f -> Request.bearer(f.token(f.header(), f.claims().put("scope", "read:messages\tadmin:messages")))));
        cases.add(new HostileCase("an scp array without the admin scope", ADMIN, 403, "insufficient_scope",
                f -> Request.bearer(f.token(f.header(), without(f.claims(), "scope")
                        .put("scp", new JsonArray().add("read:messages"))))));

        dpopCases(cases);

        // ---- accepted: the controls that show the suite is not refusing everything ----
        cases.add(c("lower-case scheme is accepted", 200, null, f -> Request.authorization("bearer " + f.good())));
        cases.add(c("upper-case scheme is accepted", 200, null, f -> Request.authorization("BEARER " + f.good())));
        cases.add(c("spaces around the token are accepted", 200, null,
                f -> Request.authorization("Bearer   " + f.good() + "  ")));
        accepted(cases, "the valid token itself", TokenForge::good);
        return cases;
    }

    private static HostileCase dpop(String name, int status, String error, Function<TokenForge, Request> request) {
        return new HostileCase(name, PROTECTED, status, error, DPOP, request);
    }

    /** A proof failure: 401 {@code invalid_dpop_proof} with the DPoP challenge. */
    private static HostileCase badProof(String name, Function<TokenForge, Request> request) {
        return dpop(name, 401, "invalid_dpop_proof", request);
    }

    /** The bound token with a proof made by {@code proof} from the forge, the valid header and the valid claims. */
    private static Function<TokenForge, Request> boundWith(ProofMaker proof) {
        return f -> {
            String token = f.boundToken("ec");
            return Request.dpop(token, () -> proof.make(f, f.proofHeader("ec"), TokenForge.proofClaims(PROTECTED, token)));
        };
    }

    /** Makes one proof from the valid header and claims, changed in one way. */
    @FunctionalInterface
    private interface ProofMaker {
        String make(TokenForge f, JsonObject header, JsonObject claims);
    }

    /**
     * RFC 9449: DPoP-bound tokens with their proofs (section 4.3's checks, section 11.1 replay, section 7 schemes).
     * A proof is made anew each time a case is sent (the cases are sent twice by {@code CachedTokensTest}).
     */
    /**
     * RFC 9449: DPoP-bound tokens with their proofs (section 4.3's checks, section 11.1 replay, section 7 schemes).
     * A proof is made anew each time a case is sent (the cases are sent twice by {@code CachedTokensTest}).
     */
    private static void dpopCases(List<HostileCase> cases) {
        cases.addAll(dpopOnTheBoundToken());
        // ---- tokens and keys of the local issuer's own making ----
        cases.add(badProof("an unbound token as DPoP without a proof", f -> Request.authorization("DPoP " + f.good())));
        cases.add(badProof("ES256 with a P-384 key", f -> {
            String token = f.boundToken("ec384");
            return Request.dpop(token, () -> f.proof(f.proofHeader("ec384").put("alg", "ES256"),
                    TokenForge.proofClaims(PROTECTED, token), "ec384"));
        }));
        cases.add(badProof("an RSA key of 1024 bits", f -> {
            String token = f.boundToken("rsa1024");
            return Request.dpop(token, () -> f.proof(f.proofHeader("rsa1024"), TokenForge.proofClaims(PROTECTED, token),
                    "rsa1024"));
        }));
        cases.add(dpop("an unbound token as DPoP with a valid proof", 401, "invalid_token", f -> {
            String token = f.good();
            return Request.dpop(token, () -> f.proof(f.proofHeader("ec"), TokenForge.proofClaims(PROTECTED, token), "ec"));
        }));
        cases.add(dpop("an expired bound token with a valid proof", 401, "invalid_token", f -> {
            long now = now();
            String token = f.token(f.header(), f.claims().put("iat", now - 600).put("exp", now - 300)
                    .put("cnf", new JsonObject().put("jkt", TokenForge.thumbprint(f.dpopKey("ec")))));
            return Request.dpop(token, () -> f.proof(f.proofHeader("ec"), TokenForge.proofClaims(PROTECTED, token), "ec"));
        }));
        cases.add(dpop("a bound token signed by the attacker with a valid proof", 401, "invalid_token", f -> {
            String token = TokenForge.signEncoded(b64(f.header().encode()), b64(f.claims().put("cnf",
                    new JsonObject().put("jkt", TokenForge.thumbprint(f.dpopKey("ec")))).encode()),
                    f.attacker().currentKey().pair().getPrivate());
            return Request.dpop(token, () -> f.proof(f.proofHeader("ec"), TokenForge.proofClaims(PROTECTED, token), "ec"));
        }));
        cases.add(badProof("an RS256 signature shorter than the modulus (its leading zero byte dropped)", f -> {
            String token = f.boundToken("rsa");
            return Request.dpop(token, () -> SignatureForms.stripped(SignatureForms.until(SignatureForms::leadingZero,
                    () -> f.proof(f.proofHeader("rsa"), TokenForge.proofClaims(PROTECTED, token), "rsa"))));
        }));
        cases.add(dpop("a bound token with a valid RS256 proof", 200, null, f -> {
            String token = f.boundToken("rsa");
            return Request.dpop(token, () -> f.proof(f.proofHeader("rsa"), TokenForge.proofClaims(PROTECTED, token), "rsa"));
        }));
    }

    /**
     * The DPoP cases that need no token but the one bound to the key {@code "ec"} ({@link TokenForge#boundToken}): the
     * ones {@code KeycloakDpopIT} also runs with a token Keycloak bound to that key.
     */
    public static List<HostileCase> dpopOnTheBoundToken() {
        List<HostileCase> cases = new ArrayList<>();
        // ---- the header and the scheme ----
        cases.add(badProof("DPoP scheme without a DPoP header", f -> Request.authorization("DPoP " + f.boundToken("ec"))));
        cases.add(badProof("two DPoP headers", f -> {
            String token = f.boundToken("ec");
            return new Request(List.<String[]> of(new String[] { "Authorization", "DPoP " + token }), Map.of(),
                    List.of(token), () -> List.<String[]> of(
                            new String[] { "DPoP", f.proof(f.proofHeader("ec"), TokenForge.proofClaims(PROTECTED, token), "ec") },
                            new String[] { "DPoP", f.proof(f.proofHeader("ec"), TokenForge.proofClaims(PROTECTED, token), "ec") }));
        }));
        cases.add(badProof("an empty DPoP header", boundWith((f, h, c) -> "")));
        cases.add(badProof("a DPoP header that is not a JWT", boundWith((f, h, c) -> "not-a-proof")));
        cases.add(badProof("a proof of two segments", boundWith((f, h, c) -> {
            String proof = f.proof(h, c, "ec");
            return proof.substring(0, proof.lastIndexOf('.'));
        })));
        cases.add(badProof("a proof of five segments (JWE-shaped)", boundWith((f, h, c) -> b64(h.encode()) + ".a.b.c.d")));
        cases.add(badProof("a proof over 8 KB", boundWith((f, h, c) -> f.proof(h, c.put("pad", "x".repeat(9000)), "ec"))));
        cases.add(badProof("a proof whose payload is not JSON", boundWith((f, h, c) -> TokenForge.signJose(h.encode(), "hello",
                f.dpopKey("ec").getPrivate()))));
        cases.add(badProof("a proof with its jti twice (RFC 7515 section 5.2: refused, not resolved)", boundWith((f, h, c) ->
                TokenForge.signJose(h.encode(), c.encode().replaceFirst("\\{", "{\"jti\":\"another\","),
                        f.dpopKey("ec").getPrivate()))));
        cases.add(badProof("a proof whose signature has a character outside base64url (a lenient decoder skips it)",
                boundWith((f, h, c) -> {
                    String proof = f.proof(h, c, "ec");
                    int signature = proof.lastIndexOf('.') + 1;
                    return proof.substring(0, signature + 8) + "*" + proof.substring(signature + 8);
                })));
        cases.add(dpop("DPoP credentials empty", 400, "invalid_request", f -> Request.authorization("DPoP  ")));
        cases.add(dpop("DPoP credentials outside b64token", 400, "invalid_request", f -> Request.dpop("abc$def",
                () -> f.proof(f.proofHeader("ec"), TokenForge.proofClaims(PROTECTED, "abc$def"), "ec"))));

        // ---- typ, alg, jwk ----
        cases.add(badProof("typ JWT", boundWith((f, h, c) -> f.proof(h.put("typ", "JWT"), c, "ec"))));
        cases.add(badProof("no typ", boundWith((f, h, c) -> f.proof(without(h, "typ"), c, "ec"))));
        cases.add(badProof("typ at+jwt (an access token as a proof)", boundWith((f, h, c) -> f.proof(h.put("typ", "at+jwt"), c, "ec"))));
        cases.add(badProof("alg none", boundWith((f, h, c) -> b64(h.put("alg", "none").encode()) + "." + b64(c.encode()) + ".")));
        cases.add(badProof("alg HS256 keyed with a symmetric jwk", boundWith((f, h, c) -> {
            byte[] secret = new byte[32];
            JsonObject jwk = new JsonObject().put("kty", "oct").put("k", b64(secret));
            return TokenForge.signJose(h.put("alg", "HS256").put("jwk", jwk).encode(), c.encode(),
                    new javax.crypto.spec.SecretKeySpec(secret, "HmacSHA256"));
        })));
        cases.add(badProof("alg HS256 keyed with the public key's bytes", boundWith((f, h, c) -> TokenForge.signJose(
                h.put("alg", "HS256").encode(), c.encode(),
                new javax.crypto.spec.SecretKeySpec(f.dpopKey("ec").getPublic().getEncoded(), "HmacSHA256")))));
        cases.add(badProof("alg RS256 over an EC jwk", boundWith((f, h, c) -> TokenForge.signJose(
                h.put("alg", "RS256").encode(), c.encode(), f.dpopKey("rsa").getPrivate()))));
        cases.add(badProof("the private key in the jwk", boundWith((f, h, c) -> f.proof(
                h.put("jwk", TokenForge.privateJwk(f.dpopKey("ec"))), c, "ec"))));
        cases.add(badProof("no jwk", boundWith((f, h, c) -> f.proof(without(h, "jwk"), c, "ec"))));
        cases.add(badProof("jwk a string", boundWith((f, h, c) -> f.proof(h.put("jwk", "key"), c, "ec"))));
        cases.add(badProof("a jwk with a kid only (no key)", boundWith((f, h, c) -> f.proof(
                h.put("jwk", new JsonObject().put("kid", "ec")), c, "ec"))));
        cases.add(badProof("the bound key's jwk, signed by another key", boundWith((f, h, c) -> f.proof(h, c, "other"))));
        cases.add(badProof("a signature over another payload", boundWith((f, h, c) -> {
            String proof = f.proof(h, c, "ec");
            String other = f.proof(h, c.copy().put("jti", "another"), "ec");
            return part(other, 0) + "." + part(other, 1) + "." + part(proof, 2);
        })));
        // ---- signature forms providers disagree on (issue 25): the same answer whichever provider verifies ----
        cases.add(dpop("an ES256 proof with a high S (RFC 7518 allows it)", 200, null,
                boundWith((f, h, c) -> SignatureForms.highS(f.proof(h, c, "ec")))));
        cases.add(badProof("an ES256 signature in DER form", boundWith((f, h, c) -> SignatureForms.der(f.proof(h, c, "ec")))));
        cases.add(badProof("an ES256 signature of 65 bytes", boundWith((f, h, c) -> SignatureForms.zeroPadded(
                f.proof(h, c, "ec"), 1))));
        cases.add(badProof("an ES256 signature of 62 bytes (R and S without their leading zeros)", boundWith((f, h, c) ->
                SignatureForms.minimalRS(SignatureForms.es256WithZeroLeadingRAndS(
                        (java.security.interfaces.ECPrivateKey) f.dpopKey("ec").getPrivate(),
                        i -> b64(h.encode()) + "." + b64(c.copy().put("jti", c.getString("jti") + "-" + i).encode()))))));
        cases.add(badProof("a jwk off the curve", boundWith((f, h, c) -> {
            JsonObject jwk = h.getJsonObject("jwk").copy();
            java.math.BigInteger y = new java.math.BigInteger(1, java.util.Base64.getUrlDecoder().decode(jwk.getString("y")));
            jwk.put("y", b64(SignatureForms.fixed(y.add(java.math.BigInteger.ONE), 32)));
            return f.proof(h.put("jwk", jwk), c, "ec");
        })));
        cases.add(badProof("an unknown critical header", boundWith((f, h, c) -> f.proof(
                h.put("crit", new JsonArray().add("x-unknown")).put("x-unknown", true), c, "ec"))));

        // ---- the claims ----
        for (String claim : new String[] { "jti", "htm", "htu", "iat", "ath" }) {
            cases.add(badProof("a proof without " + claim, boundWith((f, h, c) -> f.proof(h, without(c, claim), "ec"))));
        }
        cases.add(badProof("jti empty", boundWith((f, h, c) -> f.proof(h, c.put("jti", ""), "ec"))));
        cases.add(badProof("jti a number", boundWith((f, h, c) -> f.proof(h, c.put("jti", 42), "ec"))));
        cases.add(badProof("jti of 300 characters", boundWith((f, h, c) -> f.proof(h, c.put("jti", "j".repeat(300)), "ec"))));
        cases.add(badProof("iat a string", boundWith((f, h, c) -> f.proof(h, c.put("iat", String.valueOf(now())), "ec"))));
        cases.add(badProof("htm POST for a GET", boundWith((f, h, c) -> f.proof(h, c.put("htm", "POST"), "ec"))));
        cases.add(badProof("htm in lower case", boundWith((f, h, c) -> f.proof(h, c.put("htm", "get"), "ec"))));
        cases.add(badProof("htu of another path", boundWith((f, h, c) -> f.proof(h,
                c.put("htu", TokenForge.apiUrl("/api/messages/admin")), "ec"))));
        cases.add(badProof("htu with a trailing slash", boundWith((f, h, c) -> f.proof(h,
                c.put("htu", TokenForge.apiUrl(PROTECTED + "/")), "ec"))));
        cases.add(badProof("htu of another host", boundWith((f, h, c) -> f.proof(h,
                c.put("htu", "http://api.example:" + io.restassured.RestAssured.port + PROTECTED), "ec"))));
        cases.add(badProof("htu of another port", boundWith((f, h, c) -> f.proof(h,
                c.put("htu", io.restassured.RestAssured.baseURI + ":1" + PROTECTED), "ec"))));
        cases.add(badProof("htu with https for http", boundWith((f, h, c) -> f.proof(h,
                c.put("htu", TokenForge.apiUrl(PROTECTED).replace("http:", "https:")), "ec"))));
        cases.add(badProof("htu a relative path", boundWith((f, h, c) -> f.proof(h, c.put("htu", PROTECTED), "ec"))));
        cases.add(badProof("ath of another token", boundWith((f, h, c) -> f.proof(h,
                c.put("ath", TokenForge.tokenHash("another.access.token")), "ec"))));
        cases.add(badProof("ath of the token in standard base64", boundWith((f, h, c) -> f.proof(h,
                c.put("ath", c.getString("ath").replace('-', '+').replace('_', '/') + "="), "ec"))));
        cases.add(badProof("iat two minutes ago", boundWith((f, h, c) -> f.proof(h, c.put("iat", now() - 120), "ec"))));
        cases.add(badProof("iat two minutes ahead", boundWith((f, h, c) -> f.proof(h, c.put("iat", now() + 120), "ec"))));
        cases.add(badProof("iat a year ago", boundWith((f, h, c) -> f.proof(h, c.put("iat", now() - 365 * 86400), "ec"))));
        cases.add(badProof("a replayed proof", f -> {
            String token = f.boundToken("ec");
            String proof = f.proof(f.proofHeader("ec"), TokenForge.proofClaims(PROTECTED, token), "ec");
            // Used once, successfully; every sending of the case is a replay.
            Request.dpop(token, () -> proof).spec().when().get(PROTECTED).then().statusCode(200);
            return Request.dpop(token, () -> proof);
        }));
        cases.add(badProof("the same jti in a new proof", f -> {
            String token = f.boundToken("ec");
            String jti = java.util.UUID.randomUUID().toString();
            Request.dpop(token, () -> f.proof(f.proofHeader("ec"), TokenForge.proofClaims(PROTECTED, token).put("jti", jti),
                    "ec")).spec().when().get(PROTECTED).then().statusCode(200);
            return Request.dpop(token, () -> f.proof(f.proofHeader("ec"),
                    TokenForge.proofClaims(PROTECTED, token).put("jti", jti).put("iat", now() - 1), "ec"));
        }));

        // ---- the binding between token and proof (RFC 9449 sections 6.1, 7.1) ----
        cases.add(badProof("a valid proof by another key than the token's", f -> {
            String token = f.boundToken("ec");
            return Request.dpop(token, () -> f.proof(f.proofHeader("other"), TokenForge.proofClaims(PROTECTED, token),
                    "other"));
        }));
        cases.add(new HostileCase("a bound token without the admin scope, with a valid proof", ADMIN, 403,
                "insufficient_scope", DPOP, f -> {
                    String token = f.boundToken("ec");
                    return Request.dpop(token, () -> f.proof(f.proofHeader("ec"), TokenForge.proofClaims(ADMIN, token), "ec"));
                }));

        // ---- accepted: the controls ----
        cases.add(dpop("a bound token with a valid ES256 proof", 200, null, boundWith((f, h, c) -> f.proof(h, c, "ec"))));
        cases.add(dpop("the DPoP scheme in lower case", 200, null, f -> {
            String token = f.boundToken("ec");
            Request request = Request.dpop(token, () -> f.proof(f.proofHeader("ec"), TokenForge.proofClaims(PROTECTED, token),
                    "ec"));
            return new Request(List.<String[]> of(new String[] { "Authorization", "dpop " + token }), Map.of(),
                    List.of(token), request.fresh());
        }));
        cases.add(dpop("htu with a query, a fragment, an upper-case scheme and host", 200, null,
                boundWith((f, h, c) -> f.proof(h, c.put("htu", TokenForge.apiUrl(PROTECTED).replace("localhost", "LOCALHOST")
                        .replace("http://", "HTTP://") + "?x=1#top"), "ec"))));
        cases.add(dpop("iat 30 seconds ago", 200, null, boundWith((f, h, c) -> f.proof(h, c.put("iat", now() - 30), "ec"))));
        cases.add(dpop("iat 30 seconds ahead", 200, null, boundWith((f, h, c) -> f.proof(h, c.put("iat", now() + 30), "ec"))));
        return cases;
    }

    private static void accepted(List<HostileCase> cases, String name, Function<TokenForge, String> token) {
        cases.add(accepted(name, token));
    }

    /** A token whose payload segment ends in '=' padding, signed over exactly that text. */
    private static String paddedPayload(TokenForge f) {
        JsonObject claims = f.claims();
        String payload = b64(claims.encode());
        while (payload.length() % 4 == 0) {
            claims.put("pad", claims.getString("pad", "") + "x");
            payload = b64(claims.encode());
        }
        payload = payload + "=".repeat(4 - payload.length() % 4);
        return TokenForge.signEncoded(b64(f.header().encode()), payload, f.issuer().currentKey().pair().getPrivate());
    }

    /** The same character with its unused low bits set: the same bytes, another string. */
    private static char strayBits(char last) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return alphabet.charAt(alphabet.indexOf(last) | 0x01);
    }

    private static String hmac(TokenForge f, byte[] secret, String alg) {
        try {
            String javaAlg = alg.equals("HS512") ? "HmacSHA512" : "HmacSHA256";
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance(javaAlg);
            mac.init(new javax.crypto.spec.SecretKeySpec(secret, javaAlg));
            String input = b64(f.header().put("alg", alg).encode()) + "." + b64(f.claims().encode());
            return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Valid claims under the given header, signed with a key the issuer does not publish. */
    private static String foreign(TokenForge f, JsonObject header) {
        return TokenForge.signEncoded(b64(header.encode()), b64(f.claims().encode()),
                LocalIssuer.newKeyFast("foreign").pair().getPrivate());
    }

    /** Valid claims under the given header, signed with the attacker's key. */
    private static String attackerSigned(TokenForge f, JsonObject header) {
        return TokenForge.signEncoded(b64(header.encode()), b64(f.claims().encode()),
                f.attacker().currentKey().pair().getPrivate());
    }

    private static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            return generator.generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
