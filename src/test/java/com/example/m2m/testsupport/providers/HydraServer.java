package com.example.m2m.testsupport.providers;

import java.net.URI;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jose4j.json.JsonUtil;

/**
 * An Ory Network project ({@code https://<project>.projects.oryapis.com}, Ory Hydra v2 underneath) with the JWT
 * access-token strategy, as a client-credentials client sees it: discovery, the key set, {@code POST /oauth2/token},
 * and, when the project has dynamic client registration on, the open {@code POST /oauth2/register}. Sources:
 * <ul>
 * <li>D-disc https://www.ory.com/docs/oauth2-oidc/wellknown-endpoint-discovery (issuer without a trailing slash; the
 * discovery members)</li>
 * <li>D-jwt https://www.ory.com/docs/oauth2-oidc/jwt-access-token (the JWT strategy, reserved claims, the key sets)</li>
 * <li>D-aud https://www.ory.com/docs/hydra/guides/audiences (the {@code audience} allow-list and its matching)</li>
 * <li>D-cc https://www.ory.com/docs/oauth2-oidc/client-credentials (client authentication)</li>
 * <li>D-cli https://www.ory.com/docs/hydra/guides/oauth2-clients, "OpenID Dynamic Client Registration"</li>
 * <li>[H] the code, github.com/ory/hydra at 83127c5752d907f52dd5f048a734c596c4316477: {@code oauth2/handler.go}
 * (discovery), {@code jwk/generate.go} and {@code jwk/helper.go} (keys), {@code oauth2/session.go},
 * {@code fosite/token/jwt/claims_jwt.go} and {@code fosite/handler/oauth2/strategy_jwt.go} (the claims),
 * {@code fosite/handler/oauth2/flow_client_credentials.go}, {@code fosite/audience_strategy.go},
 * {@code fosite/errors.go} (errors), {@code fosite/access_write.go} (the token response), {@code client/handler.go}
 * (registration)</li>
 * <li>https://github.com/ory/network/issues/319 (a real Network issuer: no trailing slash)</li>
 * <li>https://github.com/ory/hydra/discussions/3430 and https://github.com/ory/hydra/issues/3524 ({@code scp} is an
 * array by default)</li>
 * </ul>
 * What neither says is marked UNCONFIRMED where it is imitated.
 */
public class HydraServer extends ProviderImitation {

    /** fosite's RFC 6749 error descriptions ([H] fosite/errors.go); a hint follows after a space. */
    static final String INVALID_REQUEST = "The request is missing a required parameter, includes an invalid parameter"
            + " value, includes a parameter more than once, or is otherwise malformed.";
    static final String INVALID_CLIENT = "Client authentication failed (e.g., unknown client, no client authentication"
            + " included, or unsupported authentication method).";
    static final String INVALID_SCOPE = "The requested scope is invalid, unknown, or malformed.";
    static final String UNAUTHORIZED_CLIENT = "The client is not authorized to request a token using this method.";
    static final String UNSUPPORTED_GRANT_TYPE = "The authorization grant type is not supported by the authorization"
            + " server.";

    /** ttl.access_token's default, 1h ([H] schema); expires_in comes out one second short (truncation). */
    public static final int TOKEN_LIFETIME = 3600;

    private static final String SCOPE = "scope";
    private static final String AUDIENCE = "audience";
    private static final String GRANT_TYPES = "grant_types";
    private static final String AUTH_METHOD = "token_endpoint_auth_method";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final boolean dynamicRegistration;
    private final List<String> issued = new CopyOnWriteArrayList<>();

    /**
     * @param dynamicRegistration {@code oidc.dynamic_client_registration.enabled} (default {@code false}; on Ory
     *        Network: {@code ory patch oauth2-config ... --replace "/oidc/dynamic_client_registration/enabled=true"},
     *        D-cli)
     */
    public HydraServer(boolean dynamicRegistration) {
        this.dynamicRegistration = dynamicRegistration;
        // The hydra.jwt.access-token key set, generated on first use: RS256, use sig, kid a UUID v4 ([H]
        // jwk/generate.go, jwk/helper.go). Real keys are RSA 4096; 2048 here, for speed.
        keys.add(newKey(UUID.randomUUID().toString()));
        route("/.well-known/openid-configuration", request -> Answer.ok(discovery()));
        route("/.well-known/oauth-authorization-server", request -> Answer.ok(discovery()));
        route("/.well-known/jwks.json", request -> Answer.ok(jwks(this::jwk)));
        route("/oauth2/token", this::token);
        route("/oauth2/register", this::register);
    }

    /** D-disc, ory/network#319: {@code https://$PROJECT_SLUG.projects.oryapis.com}, no trailing slash. */
    public String issuer() {
        return base();
    }

    public String tokenEndpoint() {
        return base() + "/oauth2/token";
    }

    /**
     * An OAuth2 client as created with {@code ory create oauth2-client --grant-type client_credentials --scope ...
     * --audience ...}: a UUID client id, the scopes (a space-separated string in Hydra's client), the audience
     * allow-list, and the default {@code token_endpoint_auth_method client_secret_basic}.
     */
    public Client addClient(String clientId, String secret, List<String> scopes, List<String> audiences) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put(SCOPE, String.join(" ", scopes));
        extra.put(AUDIENCE, List.copyOf(audiences));
        extra.put(GRANT_TYPES, List.of("client_credentials"));
        extra.put(AUTH_METHOD, "client_secret_basic");
        return addClient(new Client(clientId, secret, null, Set.copyOf(scopes), extra));
    }

    /** Access tokens issued, oldest first (never logged). */
    public List<String> issuedTokens() {
        return List.copyOf(issued);
    }

    /** A new client secret as Hydra makes them: 26 random characters ([H] {@code x.GenerateSecret(26)}). */
    public static String newSecret() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";
        StringBuilder secret = new StringBuilder();
        for (int i = 0; i < 26; i++) {
            secret.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return secret.toString();
    }

    // ---- discovery and keys ----

    /**
     * What {@code discoverOidcConfiguration} writes ([H] oauth2/handler.go; D-disc's example matches), in the order of
     * the {@code oidcConfiguration} struct's fields (the device authorization endpoint's place is UNCONFIRMED).
     * {@code registration_endpoint} is {@code omitempty}: listed only with dynamic registration on here (whether an
     * Ory Network project with DCR on lists it is UNCONFIRMED: Hydra takes it from
     * {@code webfinger.oidc_discovery.client_registration_url}). No {@code introspection_endpoint}: introspection is
     * an admin API ({@code /admin/oauth2/introspect}, an API key on Ory Network).
     */
    private String discovery() {
        String b = base();
        Map<String, Object> document = ordered(
                "issuer", issuer(),
                "authorization_endpoint", b + "/oauth2/auth",
                "device_authorization_endpoint", b + "/oauth2/device/auth",
                "registration_endpoint", dynamicRegistration ? b + "/oauth2/register" : null,
                "token_endpoint", b + "/oauth2/token",
                "jwks_uri", issuer() + "/.well-known/jwks.json",
                "subject_types_supported", List.of("public"),
                "response_types_supported", List.of("code", "code id_token", "id_token", "token id_token", "token",
                        "token id_token code"),
                "claims_supported", List.of("sub"),
                "grant_types_supported", List.of("authorization_code", "implicit", "client_credentials",
                        "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"),
                "response_modes_supported", List.of("query", "fragment", "form_post"),
                "userinfo_endpoint", issuer() + "/userinfo",
                "scopes_supported", List.of("offline_access", "offline", "openid"),
                "token_endpoint_auth_methods_supported", List.of("client_secret_post", "client_secret_basic",
                        "private_key_jwt", "none"),
                "userinfo_signing_alg_values_supported", List.of("none", "RS256"),
                "id_token_signing_alg_values_supported", List.of("RS256"),
                "id_token_signed_response_alg", List.of("RS256"),
                "userinfo_signed_response_alg", List.of("RS256"),
                "request_parameter_supported", true,
                "request_uri_parameter_supported", true,
                "require_request_uri_registration", true,
                "claims_parameter_supported", false,
                "revocation_endpoint", issuer() + "/oauth2/revoke",
                "backchannel_logout_supported", true,
                "backchannel_logout_session_supported", true,
                "frontchannel_logout_supported", true,
                "frontchannel_logout_session_supported", true,
                "end_session_endpoint", issuer() + "/oauth2/sessions/logout",
                "request_object_signing_alg_values_supported", List.of("none", "RS256", "ES256"),
                "code_challenge_methods_supported", List.of("plain", "S256"),
                "credentials_endpoint_draft_00", b + "/credentials",
                "credentials_supported_draft_00", List.of(ordered("format", "jwt_vc_json",
                        "types", List.of("VerifiableCredential", "UserInfoCredential"),
                        "cryptographic_binding_methods_supported", List.of("jwk"),
                        "cryptographic_suites_supported", List.of("PS256", "RS256", "ES256", "PS384", "RS384",
                                "ES384", "PS512", "RS512", "ES512", "EdDSA"))));
        return JsonUtil.toJson(document);
    }

    /** go-jose's member order, {@code x5c} omitted when empty: {@code use kty kid alg n e} ([H] jwk; API schema). */
    private Map<String, Object> jwk(SigningKey key) {
        Map<String, Object> rsa = rsaMembers(key);
        return ordered("use", "sig", "kty", "RSA", "kid", key.kid(), "alg", "RS256", "n", rsa.get("n"), "e",
                rsa.get("e"));
    }

    // ---- the token endpoint ----

    private Answer token(Request request) {
        if (request.body().isEmpty()) {
            throw error(400, "invalid_request", INVALID_REQUEST + " The POST body can not be empty.");
        }
        String grantType = request.form().get("grant_type");
        if (grantType == null) {
            throw error(400, "invalid_request", INVALID_REQUEST + " Request parameter 'grant_type' is missing");
        }
        if (request.header("Authorization") == null && request.form().get("client_secret") == null
                && request.form().get("client_assertion") == null) {
            throw error(400, "invalid_request", INVALID_REQUEST
                    + " Client credentials missing or malformed in both HTTP Authorization header and HTTP POST body.");
        }
        // Unknown client or wrong secret: 401 invalid_client, no hint ([H] fosite/client_authentication.go).
        Authenticated who = authenticate(request, tokenEndpoint(), reason -> error(401, "invalid_client", INVALID_CLIENT));
        Client client = who.client();
        String expected = (String) client.extra().get(AUTH_METHOD);
        String used = switch (who.method()) {
            case CLIENT_SECRET_BASIC -> "client_secret_basic";
            case CLIENT_SECRET_POST -> "client_secret_post";
            case PRIVATE_KEY_JWT -> "private_key_jwt";
        };
        if (!used.equals(expected)) {
            throw error(401, "invalid_client", INVALID_CLIENT + " The OAuth 2.0 Client supports client authentication"
                    + " method '" + expected + "', but method '" + used + "' was requested. You must configure the"
                    + " OAuth 2.0 client's 'token_endpoint_auth_method' value to accept '" + used + "'.");
        }
        if (!"client_credentials".equals(grantType)) {
            throw error(400, "unsupported_grant_type", UNSUPPORTED_GRANT_TYPE);
        }
        // HandleTokenEndpointRequest: the scopes, then the audience ([H] flow_client_credentials.go).
        List<String> allowedScopes = Arrays.asList(((String) client.extra().get(SCOPE)).split(" "));
        List<String> scopes = new ArrayList<>();
        String scope = request.form().get("scope");
        if (scope != null) {
            for (String requested : scope.split(" ")) {
                if (requested.isEmpty()) {
                    continue;
                }
                if (allowedScopes.stream().noneMatch(allowed -> wildcardMatch(allowed, requested))) {
                    throw error(400, "invalid_scope", INVALID_SCOPE + " The OAuth 2.0 Client is not allowed to request"
                            + " scope '" + requested + "'.");
                }
                scopes.add(requested);
            }
        }
        // fosite.GetAudiences: repeated parameters each as given, a single one split on spaces (the form here joins
        // repeated values with a space, which comes to the same for URLs).
        List<String> audiences = new ArrayList<>();
        String audience = request.form().get("audience");
        if (audience != null) {
            for (String requested : audience.split(" ")) {
                if (!requested.isEmpty()) {
                    audiences.add(requested);
                }
            }
        }
        @SuppressWarnings("unchecked")
        List<String> allowedAudiences = (List<String>) client.extra().get(AUDIENCE);
        for (String requested : audiences) {
            if (allowedAudiences.stream().noneMatch(allowed -> audienceMatch(allowed, requested))) {
                // D-aud; the same text in a real fosite log: https://github.com/authelia/authelia/issues/6290
                throw error(400, "invalid_request", INVALID_REQUEST + " Requested audience '" + requested
                        + "' has not been whitelisted by the OAuth 2.0 Client.");
            }
        }
        @SuppressWarnings("unchecked")
        List<String> grantTypes = (List<String>) client.extra().get(GRANT_TYPES);
        if (!grantTypes.contains("client_credentials")) {
            throw error(400, "unauthorized_client", UNAUTHORIZED_CLIENT + " The OAuth 2.0 Client is not allowed to use"
                    + " authorization grant 'client_credentials'.");
        }
        String token = mint(client.id(), scopes, audiences);
        issued.add(token);
        // fosite writes a Go map: keys sorted; token_type lowercase "bearer" (SetTokenType("bearer")); scope always
        // there, "" when nothing was granted; expires_in one second short ([H] helper.go, access_write.go).
        Map<String, Object> body = ordered("access_token", token, "expires_in", TOKEN_LIFETIME - 1,
                "scope", String.join(" ", scopes), "token_type", "bearer");
        return new Answer(200, JsonUtil.toJson(body), Map.of("Cache-Control", "no-store", "Pragma", "no-cache"));
    }

    /**
     * The JWT strategy's access token for the client-credentials grant ([H] oauth2/session.go {@code GetJWTClaims},
     * fosite claims_jwt.go {@code ToMap}; D-jwt).
     * <ul>
     * <li>Header {@code {"alg":"RS256","kid":<hydra.jwt.access-token kid>,"typ":"JWT"}}: {@code typ} is always
     * {@code JWT}, never {@code at+jwt} ([H] fosite/token/jwt/token.go).</li>
     * <li>Claims, sorted (go-jose marshals a Go map): {@code aud} always an array, only the requested (and allowed)
     * audiences, {@code []} when none was requested (the client's allow-list is not copied in:
     * https://github.com/ory/hydra/issues/3441); {@code client_id}; {@code exp}; {@code ext} {@code {}} (the session's
     * Extra, mirrored, empty without a token hook); {@code iat}; {@code iss}; {@code jti} a UUID v4; {@code nbf} =
     * {@code iat}; {@code scp} an array of the granted scopes ({@code strategies.jwt.scope_claim: list}, the default);
     * {@code sub} = the client id.</li>
     * </ul>
     * The payload of a live Ory Network token has not been seen: reconstructed from the code (UNCONFIRMED).
     */
    private String mint(String clientId, List<String> scopes, List<String> audiences) {
        long now = now();
        Map<String, Object> header = ordered("alg", "RS256", "kid", currentKey().kid(), "typ", "JWT");
        Map<String, Object> claims = ordered(
                "aud", List.copyOf(audiences),
                "client_id", clientId,
                "exp", now + TOKEN_LIFETIME,
                "ext", new LinkedHashMap<>(),
                "iat", now,
                "iss", issuer(),
                "jti", UUID.randomUUID().toString(),
                "nbf", now,
                "scp", List.copyOf(scopes),
                "sub", clientId);
        return sign(header, claims, currentKey());
    }

    /**
     * fosite's WildcardScopeStrategy ({@code strategies.scope: wildcard}, the default): equal, or equal
     * segment by segment ({@code .}-separated) where the allowed scope has {@code *}.
     */
    static boolean wildcardMatch(String allowed, String requested) {
        if (allowed.equals(requested)) {
            return true;
        }
        String[] allowedParts = allowed.split("\\.", -1);
        String[] requestedParts = requested.split("\\.", -1);
        if (allowedParts.length != requestedParts.length || !allowed.contains("*")) {
            return false;
        }
        for (int i = 0; i < allowedParts.length; i++) {
            if (!allowedParts[i].equals("*") && !allowedParts[i].equals(requestedParts[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * fosite's DefaultAudienceMatchingStrategy (D-aud): same scheme and host, and the same path or a sub-path of the
     * allowed one ({@code https://api.my-cloud/user} allows {@code https://api.my-cloud/user/1234}, not
     * {@code https://api.my-cloud/not-user}).
     */
    static boolean audienceMatch(String allowed, String requested) {
        try {
            URI a = new URI(allowed);
            URI r = new URI(requested);
            String allowedPath = stripTrailingSlashes(a.getRawPath() == null ? "" : a.getRawPath());
            String path = r.getRawPath() == null ? "" : r.getRawPath();
            return java.util.Objects.equals(a.getScheme(), r.getScheme())
                    && java.util.Objects.equals(a.getRawAuthority(), r.getRawAuthority())
                    && (path.equals(a.getRawPath()) || path.equals(allowedPath)
                            || path.startsWith(allowedPath + "/"));
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static String stripTrailingSlashes(String path) {
        String p = path;
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    // ---- dynamic client registration ----

    /**
     * {@code POST /oauth2/register}, open: "It's not required for registration, the token is however needed to
     * perform updates to the client" (https://github.com/lastlogin-net/obligator/pull/2, an Ory maintainer);
     * {@code createOidcDynamicClient} has no authentication ([H] client/handler.go). 201 with the client, its
     * {@code client_id} a UUID v4 (a requested one is ignored), its 26-character secret (shown once), a
     * {@code registration_access_token} prefixed {@code ory_at_} and the {@code registration_client_uri}.
     * Off by default: 404 "Dynamic registration is not enabled." (herodot's JSON error shape; the exact body is
     * UNCONFIRMED).
     */
    private Answer register(Request request) throws Exception {
        if (!dynamicRegistration) {
            return Answer.of(404, JsonUtil.toJson(Map.of("error", ordered("code", 404, "status", "Not Found",
                    "reason", "Dynamic registration is not enabled.",
                    "message", "The requested resource could not be found"))));
        }
        if (!"POST".equals(request.method())) {
            return Answer.of(405, "{}");
        }
        Map<String, Object> metadata = JsonUtil.parseJson(request.body());
        if (metadata.containsKey("client_secret")) {
            throw badRequest("It is not allowed to choose your own OAuth2 Client secret.");
        }
        if (metadata.containsKey("access_token_strategy")) {
            throw badRequest("It is not allowed to choose your own access token strategy.");
        }
        if (metadata.containsKey("metadata")) {
            throw error(400, "invalid_client_metadata", "\"metadata\" cannot be set for dynamic client registration");
        }
        String id = UUID.randomUUID().toString();
        String secret = newSecret();
        String scope = metadata.get("scope") instanceof String s && !s.isBlank() ? s : "offline_access offline openid";
        @SuppressWarnings("unchecked")
        List<String> grantTypes = metadata.get(GRANT_TYPES) instanceof List<?> g ? (List<String>) g
                : List.of("authorization_code");
        @SuppressWarnings("unchecked")
        List<String> audience = metadata.get(AUDIENCE) instanceof List<?> a ? (List<String>) a : List.of();
        String method = metadata.get(AUTH_METHOD) instanceof String m ? m : "client_secret_basic";
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put(SCOPE, scope);
        extra.put(AUDIENCE, List.copyOf(audience));
        extra.put(GRANT_TYPES, List.copyOf(grantTypes));
        extra.put(AUTH_METHOD, method);
        addClient(new Client(id, secret, null, Set.of(scope.split(" ")), extra));
        byte[] token = new byte[32];
        RANDOM.nextBytes(token);
        Map<String, Object> answer = ordered(
                "client_id", id,
                "client_name", metadata.getOrDefault("client_name", ""),
                "client_secret", secret,
                "redirect_uris", metadata.getOrDefault("redirect_uris", List.of()),
                "grant_types", grantTypes,
                "response_types", metadata.getOrDefault("response_types", List.of("code")),
                "scope", scope,
                "audience", audience,
                "token_endpoint_auth_method", method,
                "userinfo_signed_response_alg", "none",
                "client_secret_expires_at", 0,
                "registration_access_token", "ory_at_" + base64Url(token),
                "registration_client_uri", base() + "/oauth2/register/" + id);
        return new Answer(201, JsonUtil.toJson(answer), Map.of("Location", base() + "/admin/clients/" + id));
    }

    private static Refusal badRequest(String reason) {
        return new Refusal(400, JsonUtil.toJson(Map.of("error", ordered("code", 400, "status", "Bad Request",
                "reason", reason, "message", "The request was malformed or contained invalid parameters"))));
    }

    /** fosite's error body, {@code {"error":..., "error_description":"<description> <hint>"}} ([H] fosite/errors.go). */
    private static Refusal error(int status, String error, String description) {
        return new Refusal(status, JsonUtil.toJson(ordered("error", error, "error_description", description)));
    }
}
