package com.example.m2m.testsupport.providers;

import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jose4j.json.JsonUtil;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

/**
 * An imitation of one Okta org, as the original Node sample's users set it up: the <b>org authorization server</b>
 * ({@code https://<org>.okta.com}), which alone mints tokens with Okta's management scopes and registers clients at
 * {@code /oauth2/v1/clients}, and the <b>custom authorization server</b> {@code default}
 * ({@code https://<org>.okta.com/oauth2/default}), which issues the API's tokens. Each with its own keys.
 * From Okta's documentation:
 * <ul>
 * <li>Issuers and discovery URLs: https://developer.okta.com/docs/concepts/auth-servers/ ("The issuer for access tokens
 * from an org authorization server is https://{yourOktaDomain}"; custom: https://{yourOktaDomain}/oauth2/{id}).</li>
 * <li>Discovery members (registration_endpoint of a custom server pointing at the org's /oauth2/v1/clients), access
 * token header ({@code kid}, {@code alg} only: "The header only includes the following reserved claims") and claims
 * ({@code ver jti iss aud iat exp cid scp sub}, {@code scp} an array, {@code aud} a string, no {@code uid} without a
 * user), JWKS members ({@code alg e n kid kty use}): https://developer.okta.com/docs/reference/api/oidc/.</li>
 * <li>Client credentials at a custom server, scope required ("Must be at least one custom scope that you create"):
 * https://developer.okta.com/docs/guides/implement-grant-type/clientcreds/main/; error texts from Okta's error catalog
 * (okta-developer-docs, data/oauth2-error-codes.json).</li>
 * <li>Service apps getting Okta-scoped tokens from the org server: "The private_key_jwt client authentication method is
 * the only supported method", assertion {@code aud} the org token endpoint, token lifetime one hour, scopes granted to
 * the app first: https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/.</li>
 * <li>Registration ({@code POST /oauth2/v1/clients}, scope {@code okta.clients.register}): properties, defaults
 * ({@code application_type} web, {@code grant_types} authorization_code), the grant types each application type allows,
 * the 201 body (no registration_access_token), the {@code invalid_client_metadata} error:
 * https://developer.okta.com/docs/reference/api/oauth-clients/ and
 * https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/client/createclient; the joined error sentences as a
 * real Okta answered them: https://github.com/TykTechnologies/tyk/issues/3561. {@code scope} is not an Okta client
 * property: ignored, as RFC 7591 section 2 says of unknown metadata. Custom scopes reach a new client through the
 * custom server's access policy (here: a rule for ALL_CLIENTS granting {@link #EVERY_CLIENT_SCOPES}).</li>
 * </ul>
 * Not imitated: consent, DPoP at Okta, user flows.
 */
public final class OktaOrg extends ProviderImitation {

    public static final String CUSTOM_AUDIENCE = "api://default";
    public static final String REGISTER_SCOPE = "okta.clients.register";
    /** The custom server's scopes. */
    public static final Set<String> CUSTOM_SCOPES = Set.of("read:messages", "admin:messages", "clients:register");
    /** What the custom server's access policy grants every client (a rule for ALL_CLIENTS). */
    public static final Set<String> EVERY_CLIENT_SCOPES = Set.of("read:messages");

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SigningKey orgKey = newKey(randomKid());
    /** Clients registered through /oauth2/v1/clients, by id: their metadata as Okta keeps it. */
    private final Map<String, Map<String, Object>> registered = new java.util.concurrent.ConcurrentHashMap<>();

    public OktaOrg() {
        keys.add(newKey(randomKid()));
        route("/.well-known/openid-configuration", r -> Answer.ok(orgDiscovery()));
        route("/.well-known/oauth-authorization-server", r -> Answer.ok(orgDiscovery()));
        route("/oauth2/v1/keys", r -> Answer.ok(JsonUtil.toJson(Map.of("keys", List.of(jwk(orgKey))))));
        route("/oauth2/v1/token", this::orgToken);
        route("/oauth2/v1/clients", this::register);
        route("/oauth2/default/.well-known/openid-configuration", r -> Answer.ok(customDiscovery()));
        route("/oauth2/default/.well-known/oauth-authorization-server", r -> Answer.ok(customDiscovery()));
        route("/oauth2/default/v1/keys", r -> Answer.ok(jwks(OktaOrg::jwk)));
        route("/oauth2/default/v1/token", this::customToken);
    }

    /** The org authorization server's issuer, {@code https://<org>.okta.com}. */
    public String orgIssuer() {
        return base();
    }

    /** The custom authorization server {@code default}'s issuer. */
    public String customIssuer() {
        return base() + "/oauth2/default";
    }

    public String customTokenEndpoint() {
        return customIssuer() + "/v1/token";
    }

    /** An API Services app (client credentials with a secret) granted these custom scopes by an access policy. */
    public Client addServiceApp(String id, String secret, Set<String> customScopes) {
        return addClient(new Client(id, secret, null, customScopes, Map.of("application_type", "service")));
    }

    /**
     * A service app with a public key (private_key_jwt) and grants of Okta scopes at the org server, as an admin sets
     * up the registrar: https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/.
     */
    public Client addOrgServiceApp(String id, PublicKey key, Set<String> oktaScopes) {
        return addClient(new Client(id, null, key, oktaScopes, Map.of("application_type", "service")));
    }

    /** The metadata Okta keeps for a client registered through /oauth2/v1/clients (null for another id). */
    public Map<String, Object> registeredClient(String id) {
        return registered.get(id);
    }

    /** An access token of the org server (as its registrar gets): for the test that it is refused by the API. */
    public String orgToken(String clientId, Set<String> oktaScopes) {
        return sign(ordered("kid", orgKey.kid(), "alg", "RS256"), orgClaims(clientId, oktaScopes), orgKey);
    }

    /** An access token of the custom server, for tests that need one without a token request. */
    public String customToken(String clientId, Set<String> scopes) {
        return sign(ordered("kid", currentKey().kid(), "alg", "RS256"), customClaims(clientId, scopes), currentKey());
    }

    // ---- discovery and keys ----

    private String orgDiscovery() {
        String v1 = base() + "/oauth2/v1";
        return JsonUtil.toJson(ordered("issuer", orgIssuer(),
                "authorization_endpoint", v1 + "/authorize", "token_endpoint", v1 + "/token",
                "userinfo_endpoint", v1 + "/userinfo", "registration_endpoint", v1 + "/clients",
                "jwks_uri", v1 + "/keys",
                "response_types_supported", List.of("code", "id_token", "code id_token", "code token", "id_token token",
                        "code id_token token"),
                "grant_types_supported", List.of("authorization_code", "implicit", "refresh_token", "password",
                        "client_credentials"),
                "subject_types_supported", List.of("public"), "id_token_signing_alg_values_supported", List.of("RS256"),
                "token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post",
                        "client_secret_jwt", "private_key_jwt", "none"),
                "introspection_endpoint", v1 + "/introspect", "revocation_endpoint", v1 + "/revoke",
                "dpop_signing_alg_values_supported", List.of("RS256", "RS384", "RS512", "ES256", "ES384", "ES512")));
    }

    private String customDiscovery() {
        String issuer = customIssuer();
        return JsonUtil.toJson(ordered("issuer", issuer,
                "authorization_endpoint", issuer + "/v1/authorize", "token_endpoint", issuer + "/v1/token",
                "userinfo_endpoint", issuer + "/v1/userinfo",
                // A custom server's document names the org's registration endpoint (Okta's own example).
                "registration_endpoint", base() + "/oauth2/v1/clients",
                "jwks_uri", issuer + "/v1/keys",
                "response_types_supported", List.of("code", "token", "id_token", "code id_token", "code token",
                        "id_token token", "code id_token token"),
                "grant_types_supported", List.of("authorization_code", "implicit", "refresh_token", "password",
                        "client_credentials", "urn:openid:params:grant-type:ciba"),
                "subject_types_supported", List.of("public"), "id_token_signing_alg_values_supported", List.of("RS256"),
                "scopes_supported", List.of("openid", "profile", "email", "address", "phone", "offline_access"),
                "token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post",
                        "client_secret_jwt", "private_key_jwt", "none"),
                "claims_supported", List.of("ver", "jti", "iss", "aud", "iat", "exp", "cid", "uid", "scp", "sub"),
                "introspection_endpoint", issuer + "/v1/introspect", "revocation_endpoint", issuer + "/v1/revoke",
                "dpop_signing_alg_values_supported", List.of("RS256", "RS384", "RS512", "ES256", "ES384", "ES512")));
    }

    /** Okta's JWK: exactly {@code alg e n kid kty use}, in that order. */
    private static Map<String, Object> jwk(SigningKey key) {
        Map<String, Object> rsa = rsaMembers(key);
        return ordered("alg", "RS256", "e", rsa.get("e"), "n", rsa.get("n"), "kid", key.kid(), "kty", "RSA",
                "use", "sig");
    }

    // ---- the custom authorization server ----

    private Answer customToken(Request request) {
        Authenticated caller = authenticate(request, customTokenEndpoint(), OktaOrg::invalidClient);
        grantTypeIsClientCredentials(request);
        Set<String> requested = requestedScopes(request);
        for (String scope : requested) {
            if (!CUSTOM_SCOPES.contains(scope)) {
                throw Refusal.oauth(400, "invalid_scope",
                        "One or more scopes are not configured for the authorization server resource.");
            }
        }
        Set<String> allowed = new LinkedHashSet<>(EVERY_CLIENT_SCOPES);
        allowed.addAll(caller.client().scopes());
        List<String> denied = requested.stream().filter(scope -> !allowed.contains(scope)).toList();
        if (denied.size() == requested.size()) {
            throw Refusal.oauth(400, "access_denied",
                    "Policy evaluation succeeded, but all the requested scopes were rejected.");
        }
        if (!denied.isEmpty()) {
            throw Refusal.oauth(400, "access_denied",
                    "Some of the requested scopes were denied by the policy. Denied scopes: " + denied + ".");
        }
        String token = sign(ordered("kid", currentKey().kid(), "alg", "RS256"),
                customClaims(caller.client().id(), requested), currentKey());
        return Answer.ok(tokenAnswer(token, requested));
    }

    private Map<String, Object> customClaims(String clientId, Set<String> scopes) {
        long now = now();
        return ordered("ver", 1, "jti", "AT." + randomId(43), "iss", customIssuer(), "aud", CUSTOM_AUDIENCE,
                "iat", now, "exp", now + 3600, "cid", clientId, "scp", new ArrayList<>(scopes), "sub", clientId);
    }

    // ---- the org authorization server ----

    private Answer orgToken(Request request) {
        Authenticated caller = authenticate(request, base() + "/oauth2/v1/token", OktaOrg::invalidClient);
        if (caller.method() != ClientAuth.PRIVATE_KEY_JWT) {
            throw Refusal.oauth(401, "invalid_client", "Client Credentials requests to the Org Authorization Server"
                    + " must use the private_key_jwt token_endpoint_auth_method.");
        }
        if (!"service".equals(caller.client().extra().get("application_type"))) {
            throw Refusal.oauth(401, "invalid_client", "Only clients with 'application_type' of 'service' may use"
                    + " the client_credentials 'grant_type' with the Org Authorization Server.");
        }
        grantTypeIsClientCredentials(request);
        Set<String> requested = requestedScopes(request);
        for (String scope : requested) {
            if (!scope.startsWith("okta.")) {
                throw Refusal.oauth(400, "invalid_scope",
                        "One or more scopes are not configured for the authorization server resource.");
            }
        }
        if (!caller.client().scopes().containsAll(requested)) {
            throw Refusal.oauth(400, "invalid_scope", "The requested scope is invalid, unknown, malformed, or"
                    + " exceeds the scope granted by the resource owner.");
        }
        String token = sign(ordered("kid", orgKey.kid(), "alg", "RS256"), orgClaims(caller.client().id(), requested),
                orgKey);
        return Answer.ok(tokenAnswer(token, requested));
    }

    private Map<String, Object> orgClaims(String clientId, Set<String> scopes) {
        long now = now();
        // The real org-server client-credentials token of Okta's service-app guide: aud is the org URL, sub = cid.
        return ordered("ver", 1, "jti", "AT." + randomId(43), "iss", orgIssuer(), "aud", orgIssuer(),
                "sub", clientId, "iat", now, "exp", now + 3600, "cid", clientId, "scp", new ArrayList<>(scopes));
    }

    // ---- registration: POST /oauth2/v1/clients ----

    private Answer register(Request request) throws Exception {
        if (!"POST".equals(request.method())) {
            return Answer.of(405, "{}");
        }
        String authorization = request.header("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ") || !mayRegister(authorization.substring(7))) {
            return Answer.of(401, JsonUtil.toJson(ordered("errorCode", "E0000011",
                    "errorSummary", "Invalid token provided", "errorLink", "E0000011", "errorId", "oae" + randomId(22),
                    "errorCauses", List.of())));
        }
        Map<String, Object> metadata = JsonUtil.parseJson(request.body());
        Object name = metadata.get("client_name");
        if (!(name instanceof String text) || text.isBlank()) {
            throw Refusal.oauth(400, "invalid_client_metadata", "client_name: The field cannot be left blank");
        }
        String type = String.valueOf(metadata.getOrDefault("application_type", "web"));
        List<?> grants = (List<?>) metadata.getOrDefault("grant_types", List.of("authorization_code"));
        List<?> responses = (List<?>) metadata.getOrDefault("response_types",
                "service".equals(type) ? List.of("token") : List.of("code"));
        List<String> problems = new ArrayList<>();
        if (!"service".equals(type) && responses.contains("token") && !grants.contains("implicit")) {
            problems.add("'grant_types' must contain 'implicit' when 'response_types' contains 'token'.");
        }
        if (("web".equals(type) || "native".equals(type)) && !grants.contains("authorization_code")) {
            problems.add("'grant_types' must contain 'authorization_code' when 'application_type' is '" + type + "'.");
        }
        if ("service".equals(type) && !grants.equals(List.of("client_credentials"))) {
            problems.add("'grant_types' must be 'client_credentials' when 'application_type' is 'service'.");
        }
        if (!problems.isEmpty()) {
            throw Refusal.oauth(400, "invalid_client_metadata", String.join(" ", problems));
        }
        String method = String.valueOf(metadata.getOrDefault("token_endpoint_auth_method", "client_secret_basic"));
        String id = "0oa" + randomId(17);
        String secret = method.startsWith("client_secret") ? randomId(40) : null;
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("client_id", id);
        if (secret != null) {
            answer.put("client_secret", secret);
        }
        answer.put("client_id_issued_at", now());
        if (secret != null) {
            answer.put("client_secret_expires_at", 0);
        }
        answer.put("client_name", name);
        answer.put("client_uri", null);
        answer.put("logo_uri", null);
        answer.put("redirect_uris", List.of());
        answer.put("response_types", responses);
        answer.put("grant_types", grants);
        answer.put("token_endpoint_auth_method", method);
        answer.put("application_type", type);
        registered.put(id, Map.copyOf(metadata));
        // Custom scopes come from the custom server's access policy (ALL_CLIENTS), not from the registration.
        addClient(new Client(id, secret, null, Set.of(), Map.of("application_type", type)));
        return new Answer(201, JsonUtil.toJson(answer), Map.of());
    }

    /** An org-server token with okta.clients.register (a custom server's token is not one, whatever its scopes). */
    private boolean mayRegister(String token) {
        try {
            var claims = new JwtConsumerBuilder().setVerificationKey(orgKey.publicKey()).setExpectedIssuer(orgIssuer())
                    .setExpectedAudience(orgIssuer()).setRequireExpirationTime().build().processToClaims(token);
            return claims.getStringListClaimValue("scp").contains(REGISTER_SCOPE);
        } catch (Exception invalid) {
            return false;
        }
    }

    // ---- common ----

    private static Refusal invalidClient(String why) {
        return Refusal.oauth(401, "invalid_client",
                "Client authentication failed. Either the client or the client credentials are invalid.");
    }

    private static void grantTypeIsClientCredentials(Request request) {
        if (!"client_credentials".equals(request.form().get("grant_type"))) {
            throw Refusal.oauth(400, "unsupported_grant_type", "The authorization grant type is not supported by the"
                    + " authorization server. Configured grant types: [client_credentials].");
        }
    }

    private static Set<String> requestedScopes(Request request) {
        String scope = request.form().get("scope");
        if (scope == null || scope.isBlank()) {
            throw Refusal.oauth(400, "invalid_scope", "The authorization server resource does not have any"
                    + " configured default scopes, 'scope' must be provided.");
        }
        return new LinkedHashSet<>(List.of(scope.trim().split(" +")));
    }

    private static String tokenAnswer(String token, Set<String> scopes) {
        return JsonUtil.toJson(ordered("token_type", "Bearer", "expires_in", 3600, "access_token", token,
                "scope", String.join(" ", scopes)));
    }

    private static String randomKid() {
        return randomId(43);
    }

    private static String randomId(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < length; i++) {
            id.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    static {
        UUID.randomUUID(); // warm the random source once
    }
}
