package com.example.m2m.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

import com.example.m2m.quota.QuotaPolicies;
import com.example.m2m.limits.Rate;

/**
 * Every setting a user gives this service or its caller, by the names of the original sample and ours: the one list
 * behind the README's settings table ({@code SettingsDocumentedTest} compares them), with each one's default and the
 * rule its value must follow. {@link SettingsCheck} applies the rules as the values are read.
 */
public enum Setting {

    ISSUER(Kind.URLS, "none (required when running the packaged service)",
            "the authorization server's issuer URL; several, comma-separated, to trust each (the caller uses the first)"),
    AUDIENCE(Kind.TEXT, "none (required when running the packaged service)",
            "the `aud` value tokens must carry for this API"),
    AUDIENCE_CHECK(Kind.BOOLEAN, "true",
            "`false`: no audience check (for providers that put no `aud` in tokens); needs `ALLOWED_CLIENTS`"),
    ALLOWED_CLIENTS(Kind.LIST, "none (any client, when the audience is checked)",
            "client ids whose tokens are accepted, comma-separated; `any`: every client of the issuer"),
    DEFAULT_SCOPE(Kind.SCOPE, "read:messages", "the scope `GET /` requires and the caller asks for"),
    SCOPE_CLAIMS(Kind.LIST, "scope,scp",
            "the claims that carry the token's scopes, comma-separated (Entra ID's application permissions: `roles`)"),
    SCOPE_PREFIX(Kind.SCOPE, "none",
            "the prefix the provider puts before this API's scope names (Cognito: `<resource server id>/`):"
                    + " a token's `<prefix>read:messages` counts as `read:messages`"),
    REQUIRE_RFC9068(Kind.BOOLEAN, "false", "`true`: accept only RFC 9068 access tokens"),
    TOKEN_CACHE_SIZE(Kind.COUNT, "2000", "how many verified tokens to remember; `0` verifies every request"),
    DPOP_REQUIRED(Kind.BOOLEAN, "false", "`true`: refuse Bearer tokens, take only DPoP-bound tokens with a proof"),
    DPOP_PROOF_WINDOW(Kind.POSITIVE_COUNT, "60", "seconds a DPoP proof's `iat` may be from now, either way"),
    DPOP_REPLAY_CACHE_SIZE(Kind.POSITIVE_COUNT, "200000",
            "DPoP proofs remembered per pod for the replay check; when full, new proofs are refused"),
    CRYPTO_PROVIDER(Kind.CRYPTO_PROVIDER, "auto",
            "`auto`: DPoP proof signatures verified by the fastest provider that loads (Amazon Corretto Crypto Provider,"
                    + " else Bouncy Castle), the JDK's if none; `jdk`: the JDK's"),
    INTROSPECTION_CLIENT_ID(Kind.TEXT, "none (opaque tokens refused)",
            "the service's own client at the issuer: opaque tokens are then checked by introspection (RFC 7662)"),
    INTROSPECTION_CLIENT_SECRET(Kind.SECRET, "none", "its secret"),
    INTROSPECTION_CACHE_SECONDS(Kind.POSITIVE_COUNT, "30",
            "how long an introspection answer is trusted (never past the token's `exp`)"),
    INTROSPECT_JWT(Kind.BOOLEAN, "false",
            "`true`: introspect JWTs too, instead of verifying them here (Keycloak's lightweight access tokens);"
                    + " needs `INTROSPECTION_CLIENT_ID` and `INTROSPECTION_CLIENT_SECRET`, else start-up stops"),
    REVOCATION_CHECK(Kind.BOOLEAN, "false",
            "`true`: a verified JWT must also have been active at its issuer within `INTROSPECTION_CACHE_SECONDS`;"
                    + " needs `INTROSPECTION_CLIENT_ID` and `INTROSPECTION_CLIENT_SECRET`, else start-up stops"),
    REFUSED_TOKEN_CACHE_SIZE(Kind.COUNT, "10000",
            "refused tokens remembered (bad signature, expired, ...), so that one sent again costs a lookup; `0`: off"),
    TOKEN_FAILURE_BUDGET(Kind.RATE, "1000/1m",
            "refused tokens per source address before its unverified tokens get a late 429; `off`: no budget"),
    RATE_LIMIT(Kind.RATE, "off", "each client's quota, e.g. `100/1s` (per pod unless shared)"),
    RATE_LIMIT_CLIENTS(Kind.RATES, "none", "quotas by client id, e.g. `batch-job=1000/1m,ops=off`"),
    RATE_LIMIT_SCOPES(Kind.RATES, "none",
            "quotas for tokens with a scope, e.g. `tier:gold=500/1s`; the most generous applies, a client's own first"),
    REDIS_URL(Kind.REDIS_URL, "none (each pod keeps its own)",
            "Redis that the pods share quotas and DPoP proofs through, `redis://[:password@]host:port`; a check waits"
                    + " at most 250 ms for it (`API_REDIS_TIMEOUT`), and after a failure each pod counts alone for 5 s"
                    + " (`API_REDIS_RETRY_AFTER`) before asking again"),
    TLS_CERT_FILE(Kind.CERTIFICATES, "none (plain HTTP only)",
            "the API's certificate, its chain after it: with `TLS_KEY_FILE`, HTTPS on `QUARKUS_HTTP_SSL_PORT` (8443)"
                    + " beside plain HTTP, client certificates requested (for certificate-bound tokens, RFC 8705)"),
    TLS_KEY_FILE(Kind.PEM_KEY, "none", "the private key of `TLS_CERT_FILE`"),
    TLS_CLIENT_CA_FILE(Kind.CERTIFICATES, "the JDK's trusted CAs",
            "the CAs whose client certificates the API accepts on its HTTPS port"),
    CERTIFICATE_BOUND_TOKENS_REQUIRED(Kind.BOOLEAN, "false",
            "`true`: refuse tokens bound to no client certificate (`cnf.x5t#S256`); DPoP-bound tokens still pass"),
    CLIENT_CERT_HEADER(Kind.HEADER_NAME, "none (no forwarded certificate is believed)",
            "behind a TLS-terminating proxy: the header it forwards the client certificate in, nginx ingress'"
                    + " `ssl-client-cert` (URL-encoded PEM) or Envoy's `x-forwarded-client-cert`; believed only from"
                    + " `CLIENT_CERT_PROXIES`, which it needs"),
    CLIENT_CERT_PROXIES(Kind.CIDRS, "none", "the proxies' addresses, whose `CLIENT_CERT_HEADER` is believed"),
    TRUSTED_CA_FILE(Kind.CERTIFICATES, "the JDK's trusted CAs",
            "the CAs trusted, instead of the JDK's, for the issuer's certificate (the service and the caller) and the"
                    + " API's (the caller): a private CA"),
    SWAGGER_UI_ENABLED(Kind.BOOLEAN, "false", "`true`: Swagger UI at `/q/swagger-ui` in prod"),
    REGISTRATION_ENABLED(Kind.BOOLEAN, "false", "`true`: `POST /api/clients` registers clients"),
    REGISTRAR_CLIENT_ID(Kind.TEXT, "none", "the service's own client for registration"),
    REGISTRAR_CLIENT_SECRET(Kind.SECRET, "none", "its secret"),
    REGISTRAR_CLIENT_KEY_FILE(Kind.PRIVATE_KEY, "none",
            "its private key instead of a secret (`private_key_jwt`, RFC 7523)"),
    REGISTRAR_CLIENT_KEY_ID(Kind.TEXT, "the JWK's `kid`", "the `kid` its assertions name"),
    REGISTRAR_ISSUER(Kind.URL, "the first `ISSUER`",
            "the issuer the registrar gets its token from and whose registration endpoint it uses"
                    + " (Okta: the org server, `https://<org>.okta.com`)"),
    REGISTRAR_SCOPES(Kind.SCOPES, "none", "scopes the registrar asks for, comma-separated (Okta: `okta.clients.register`)"),
    REGISTRATION_METADATA(Kind.JSON_OBJECT, "none",
            "more client metadata for each registration, a JSON object (Okta: `{\"application_type\":\"service\"}`)"),
    REGISTRATION_ALLOWED_SCOPES(Kind.SCOPES, "read:messages", "scopes that may be registered, comma-separated"),
    TEST_CLIENT_ID(Kind.TEXT, "none", "the caller's client id"),
    TEST_CLIENT_SECRET(Kind.SECRET, "none", "the caller's client secret"),
    TEST_CLIENT_SECRET_METHOD(Kind.SECRET_METHOD, "basic",
            "how the caller sends its secret: `basic` (HTTP Basic) or `post` (in the form; Auth0's default)"),
    TEST_CLIENT_KEY_FILE(Kind.PRIVATE_KEY, "none",
            "the caller's private key instead of a secret (`private_key_jwt`, RFC 7523)"),
    TEST_CLIENT_KEY_ID(Kind.TEXT, "the JWK's `kid`", "the `kid` the caller's assertions name"),
    TEST_CLIENT_SCOPE(Kind.SCOPES, "`SCOPE_PREFIX` + `DEFAULT_SCOPE`",
            "the scopes the caller asks for, comma-separated (Entra ID: `<application ID URI>/.default`)"),
    TEST_CLIENT_AUDIENCE(Kind.TEXT, "none", "the caller's token request's `audience` (Auth0, Ory: the API identifier)"),
    TEST_CLIENT_RESOURCE(Kind.TEXT, "none", "the caller's token request's `resource` (RFC 8707)"),
    TEST_CLIENT_DPOP(Kind.BOOLEAN, "false", "`true`: the caller gets DPoP-bound tokens and sends a proof per call"),
    TEST_CLIENT_DPOP_KEY_FILE(Kind.DPOP_KEY, "a new EC P-256 key per run", "the caller's DPoP key"),
    TEST_CLIENT_CERT_FILE(Kind.CERTIFICATES, "none",
            "the caller's client certificate: with `TEST_CLIENT_CERT_KEY_FILE`, presented to the token endpoint (with"
                    + " no secret or key, that is its authentication: `tls_client_auth`) and to the API"),
    TEST_CLIENT_CERT_KEY_FILE(Kind.PEM_KEY, "none", "the private key of `TEST_CLIENT_CERT_FILE`"),
    TEST_CLIENT_TOKEN_ENDPOINT(Kind.URL,
            "the issuer's `token_endpoint`; with `TEST_CLIENT_CERT_FILE`, its `https` alias in `mtls_endpoint_aliases`",
            "the token endpoint the caller asks instead, when the issuer's metadata does not name the right one"),
    API_URL(Kind.URL, "http://localhost:8080", "where the caller finds the API"),
    TRUSTED_ISSUERS(Kind.URLS, "none", "issuers `call --discover` may send the credentials to, comma-separated");

    /** What a value must look like. */
    public enum Kind {
        TEXT("any text"),
        SECRET("any text (never shown)"),
        URL("an http(s) URL"),
        URLS("http(s) URLs, comma-separated"),
        BOOLEAN("`true` or `false`"),
        COUNT("a whole number, 0 or more"),
        POSITIVE_COUNT("a whole number, 1 or more"),
        SCOPE("one OAuth scope (RFC 6749 section 3.3: no spaces, no quotes or backslashes)"),
        SCOPES("OAuth scopes, comma-separated"),
        LIST("values, comma-separated"),
        SECRET_METHOD("`basic` or `post`"),
        CRYPTO_PROVIDER("`auto` or `jdk`"),
        JSON_OBJECT("a JSON object, e.g. {\"application_type\":\"service\"}, not naming the members the service sets"
                + " (" + String.join(", ", RegistrationMetadata.RESERVED) + ")"),
        RATE(Rate.FORM),
        REDIS_URL("a redis:// or rediss:// URL with a host (never shown: it may hold a password)"),
        RATES("`name=rate` pairs, comma-separated, each rate " + Rate.FORM),
        PRIVATE_KEY("a readable file holding a private key: PEM (PKCS#8, RSA or EC) or a JWK with its private part"),
        DPOP_KEY("a readable file holding a private key pair: a JWK (EC or RSA) with its private part, or PEM (PKCS#8, RSA)"),
        CERTIFICATES("a readable PEM file holding X.509 certificates"),
        HEADER_NAME("an HTTP header name, e.g. `ssl-client-cert` or `x-forwarded-client-cert`"),
        CIDRS(com.example.m2m.security.mtls.ProxyAddresses.FORM),
        PEM_KEY("a readable PEM file holding a private key (PKCS#8, or RSA or EC)");

        public final String rule;

        Kind(String rule) {
            this.rule = rule;
        }
    }

    public final Kind kind;
    public final String defaultValue;
    public final String meaning;

    Setting(Kind kind, String defaultValue, String meaning) {
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.meaning = meaning;
    }

    public static Optional<Setting> named(String name) {
        for (Setting setting : values()) {
            if (setting.name().equals(name)) {
                return Optional.of(setting);
            }
        }
        return Optional.empty();
    }

    /**
     * The value as the service uses it: surrounding whitespace removed, null when nothing is left (an empty setting
     * is an unset one: its default applies). Throws {@link IllegalArgumentException} with a one-line reason, naming
     * the setting and never quoting a secret, when the value breaks the rule.
     */
    public String normalise(String raw) {
        String value = raw == null ? null : raw.strip();
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (kind == Kind.PRIVATE_KEY) {
            ClientKeyFile.read(name(), value); // throws with its own one-line reason
            return value;
        }
        if (kind == Kind.CERTIFICATES) {
            TlsFiles.certificates(name(), value); // throws with its own one-line reason
            return value;
        }
        if (kind == Kind.PEM_KEY) {
            TlsFiles.privateKey(name(), value);
            return value;
        }
        if (kind == Kind.DPOP_KEY) {
            ClientKeyFile.keyPair(name(), value); // throws with its own one-line reason
            return value;
        }
        boolean valid = switch (kind) {
            case TEXT, SECRET, PRIVATE_KEY, DPOP_KEY, CERTIFICATES, PEM_KEY -> true;
            case LIST -> Arrays.stream(value.split(",")).anyMatch(s -> !s.isBlank());
            case JSON_OBJECT -> RegistrationMetadata.isValid(value);
            case URL -> isHttpUrl(value);
            case URLS -> Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                    .allMatch(Setting::isHttpUrl);
            case BOOLEAN -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false");
            case SECRET_METHOD -> value.equalsIgnoreCase("basic") || value.equalsIgnoreCase("post");
            case CRYPTO_PROVIDER -> value.equalsIgnoreCase("auto") || value.equalsIgnoreCase("jdk");
            case COUNT -> value.matches("[0-9]{1,9}");
            case POSITIVE_COUNT -> value.matches("[0-9]{1,9}") && Integer.parseInt(value) > 0;
            case SCOPE -> isScopeToken(value);
            case SCOPES -> Arrays.stream(value.split(",")).map(String::strip).allMatch(Setting::isScopeToken);
            case RATE -> parses(value, Rate::parse);
            case RATES -> parses(value, QuotaPolicies::parsePairs);
            case REDIS_URL -> isUrl(value, "redis", "rediss");
            case HEADER_NAME -> value.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+"); // RFC 9110 section 5.1: a token
            case CIDRS -> parses(value, com.example.m2m.security.mtls.ProxyAddresses::parse);
        };
        if (!valid) {
            throw new IllegalArgumentException(name() + " must be " + kind.rule
                    + (kind == Kind.SECRET || kind == Kind.REDIS_URL ? "" : " (got '" + value + "')"));
        }
        boolean word = kind == Kind.BOOLEAN || kind == Kind.SECRET_METHOD || kind == Kind.CRYPTO_PROVIDER;
        return word ? value.toLowerCase(Locale.ROOT) : value;
    }

    /** Whether the parser that reads this kind of value takes it (it throws IllegalArgumentException if not). */
    private static boolean parses(String value, Consumer<String> parser) {
        try {
            parser.accept(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static boolean isHttpUrl(String value) {
        return isUrl(value, "http", "https");
    }

    private static boolean isUrl(String value, String... schemes) {
        try {
            URI uri = new URI(value);
            return Arrays.asList(schemes).contains(uri.getScheme()) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** RFC 6749 section 3.3: {@code scope-token = 1*( %x21 / %x23-5B / %x5D-7E )}. */
    static boolean isScopeToken(String value) {
        return !value.isEmpty() && value.chars().allMatch(c -> c == 0x21 || (c >= 0x23 && c <= 0x5B)
                || (c >= 0x5D && c <= 0x7E));
    }
}
