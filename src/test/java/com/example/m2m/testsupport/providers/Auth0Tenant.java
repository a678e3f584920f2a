package com.example.m2m.testsupport.providers;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jose4j.json.JsonUtil;

/**
 * An Auth0 tenant ({@code https://<tenant>.auth0.com}) as a machine-to-machine application sees it: the discovery
 * document, the key set, and {@code POST /oauth/token} with the client-credentials grant, for APIs ("resource servers")
 * in either access token profile, with or without RBAC's {@code permissions}. Sources (the text read from the docs
 * source, github.com/auth0/docs-v2):
 * <ul>
 * <li>A1 Access Token Profiles: https://auth0.com/docs/secure/tokens/access-tokens/access-token-profiles</li>
 * <li>A2 Call Your API Using the Client Credentials Flow:
 * https://auth0.com/docs/get-started/authentication-and-authorization-flow/client-credentials-flow/call-your-api-using-the-client-credentials-flow</li>
 * <li>A3 Auth API, Get Token: https://auth0.com/docs/api/authentication/client-credential-flow/get-token</li>
 * <li>A6 JSON Web Key Set Properties: https://auth0.com/docs/secure/tokens/json-web-tokens/json-web-key-set-properties</li>
 * <li>A7 Locate JSON Web Key Sets: https://auth0.com/docs/secure/tokens/json-web-tokens/locate-json-web-key-sets</li>
 * <li>A8 Organizations, Using tokens (the M2M sample token): https://auth0.com/docs/manage-users/organizations/using-tokens</li>
 * <li>A9 Enable RBAC for APIs: https://auth0.com/docs/get-started/apis/enable-role-based-access-control-for-apis</li>
 * <li>A10 Get Access Tokens: https://auth0.com/docs/secure/tokens/access-tokens/get-access-tokens</li>
 * <li>A11 Tenant settings (Default Audience): https://auth0.com/docs/get-started/tenant-settings</li>
 * <li>Credential Settings (Client Secret Basic / Post): https://auth0.com/docs/get-started/applications/credentials</li>
 * </ul>
 * What the pages do not say is marked UNCONFIRMED where it is imitated.
 */
public class Auth0Tenant extends ProviderImitation {

    /**
     * An API's "token dialect" (Management API {@code token_dialect} of a resource server; Dashboard: APIs > [API] >
     * Settings > "JSON Web Token (JWT) Profile", and RBAC's "Add Permissions in the Access Token") [A1, A9].
     */
    public enum Dialect {
        /** Auth0 profile (the default). */
        ACCESS_TOKEN("access_token", false, false),
        /** Auth0 profile with RBAC's {@code permissions} claim. */
        ACCESS_TOKEN_AUTHZ("access_token_authz", false, true),
        /** RFC 9068 profile. */
        RFC9068_PROFILE("rfc9068_profile", true, false),
        /** RFC 9068 profile with RBAC's {@code permissions} claim. */
        RFC9068_PROFILE_AUTHZ("rfc9068_profile_authz", true, true);

        public final String value;
        public final boolean rfc9068;
        public final boolean permissions;

        Dialect(String value, boolean rfc9068, boolean permissions) {
            this.value = value;
            this.rfc9068 = rfc9068;
            this.permissions = permissions;
        }
    }

    /** The application's "Authentication Method" (Credentials tab): Client Secret (Post) or (Basic). */
    public static final String CLIENT_SECRET_POST = "client_secret_post";
    public static final String CLIENT_SECRET_BASIC = "client_secret_basic";
    private static final String AUTH_METHOD = "token_endpoint_auth_method";

    /** A2, A10: "expires_in":86400, the default lifetime of an API's access tokens. */
    public static final int TOKEN_LIFETIME = 86400;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /** APIs by identifier (the {@code audience}), with their dialect. */
    private final Map<String, Dialect> apis = new ConcurrentHashMap<>();
    /** Client grants: "<client id> <API identifier>" to the scopes granted (in the order given). */
    private final Map<String, List<String>> grants = new ConcurrentHashMap<>();
    /** Every access token issued, oldest first: what tests look at (never logged). */
    private final List<String> issued = new CopyOnWriteArrayList<>();
    /** The self-signed certificate of each key, DER, by kid (A6: {@code x5c}, {@code x5t}). */
    private final Map<String, byte[]> certificates = new ConcurrentHashMap<>();
    /** Tenant Settings > API Authorization Settings > Default Audience; none by default. */
    private volatile String defaultAudience;

    public Auth0Tenant() {
        // A7: "the Auth0 JWKS endpoint typically contains a single signing key". Modern tenants' kids are short
        // random ids such as "tMQzailSAdaW4nojXxES9" [OBS, auth0.md section 2].
        SigningKey key = newKey(randomId(21));
        keys.add(key);
        certificates.put(key.kid(), SelfSignedCertificate.of(key, host()));
        route("/.well-known/openid-configuration", request -> Answer.ok(discovery()));
        route("/.well-known/jwks.json", request -> Answer.ok(jwks(this::jwk)));
        route("/oauth/token", this::token);
    }

    /** A1: the issuer is the tenant domain WITH a trailing slash, {@code https://tenant.auth0.com/}. */
    public String issuer() {
        return base() + "/";
    }

    public String tokenEndpoint() {
        return base() + "/oauth/token";
    }

    private String host() {
        return base().substring(base().indexOf("://") + 3);
    }

    /** Applications > APIs > Create API: an API with this identifier in this dialect. */
    public void addApi(String identifier, Dialect dialect) {
        apis.put(identifier, dialect);
    }

    /** Changes an existing API's profile or RBAC setting (tokens issued after this are in the new dialect). */
    public void setDialect(String identifier, Dialect dialect) {
        apis.replace(identifier, dialect);
    }

    /** A Machine to Machine application with a client secret, sent the way {@code authMethod} says. */
    public Client addApplication(String clientId, String secret, String authMethod) {
        return addClient(new Client(clientId, secret, null, Set.of(), Map.of(AUTH_METHOD, authMethod)));
    }

    /** APIs > [API] > Machine to Machine Applications: authorizes the client for the API with these scopes. */
    public void grant(String clientId, String apiIdentifier, String... scopes) {
        grants.put(clientId + " " + apiIdentifier, List.of(scopes));
    }

    public void defaultAudience(String audience) {
        this.defaultAudience = audience;
    }

    /** The access tokens issued so far, oldest first. */
    public List<String> issuedTokens() {
        return List.copyOf(issued);
    }

    public String lastIssuedToken() {
        return issued.get(issued.size() - 1);
    }

    /** The access tokens issued for an API, oldest first. */
    public List<String> issuedFor(String audience) {
        return issued.stream().filter(token -> audience.equals(claimsOf(token).get("aud"))).toList();
    }

    // ---- discovery and keys ----

    /**
     * The members of a real tenant's document, in the order served (captured from a dev-*.us.auth0.com tenant, see
     * auth0.md section 1; A7 names the URL). The capture was cut after {@code grant_types_supported}: the members
     * after it here come from other captures of the same document, and {@code grant_types_supported} lists only the
     * captured values. {@code registration_endpoint} is advertised even when DCR is off [OBS]; it is not served here.
     */
    private String discovery() {
        String b = base();
        return JsonUtil.toJson(ordered(
                "issuer", issuer(),
                "authorization_endpoint", b + "/authorize",
                "token_endpoint", b + "/oauth/token",
                "device_authorization_endpoint", b + "/oauth/device/code",
                "userinfo_endpoint", b + "/userinfo",
                "mfa_challenge_endpoint", b + "/mfa/challenge",
                "jwks_uri", b + "/.well-known/jwks.json",
                "registration_endpoint", b + "/oidc/register",
                "revocation_endpoint", b + "/oauth/revoke",
                "scopes_supported", List.of("openid", "profile", "offline_access", "name", "given_name", "family_name",
                        "nickname", "email", "email_verified", "picture", "created_at", "identities", "phone", "address"),
                "response_types_supported", List.of("code", "token", "id_token", "code token", "code id_token",
                        "token id_token", "code token id_token"),
                "code_challenge_methods_supported", List.of("S256", "plain"),
                "response_modes_supported", List.of("query", "fragment", "form_post"),
                "subject_types_supported", List.of("public"),
                "token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post",
                        "private_key_jwt", "none"),
                "token_endpoint_auth_signing_alg_values_supported", List.of("RS256", "RS384", "PS256"),
                "claims_supported", List.of("aud", "auth_time", "created_at", "email", "email_verified", "exp",
                        "family_name", "given_name", "iat", "identities", "iss", "name", "nickname", "phone_number",
                        "picture", "sub"),
                "grant_types_supported", List.of("client_credentials", "authorization_code", "refresh_token",
                        "password", "implicit"),
                "request_uri_parameter_supported", false,
                "request_parameter_supported", false,
                "id_token_signing_alg_values_supported", List.of("HS256", "RS256", "PS256")));
    }

    /**
     * A6's documented key, members in its order: {@code alg kty use x5c n e kid x5t}. {@code x5c}: "The x.509
     * certificate chain. The first entry in the array is the certificate to use for token verification" (here a
     * self-signed certificate of the key, as Auth0's are); {@code x5t}: "The thumbprint of the x.509 cert (SHA-1
     * thumbprint)", base64url as in real key sets [OBS]. Auth0 "only supports HMAC and RSA" [A6].
     */
    private Map<String, Object> jwk(SigningKey key) {
        byte[] certificate = certificates.get(key.kid());
        Map<String, Object> rsa = rsaMembers(key);
        return ordered("alg", "RS256", "kty", "RSA", "use", "sig",
                "x5c", List.of(Base64.getEncoder().encodeToString(certificate)),
                "n", rsa.get("n"), "e", rsa.get("e"),
                "kid", key.kid(),
                "x5t", base64Url(sha1(certificate)));
    }

    // ---- the token endpoint ----

    /**
     * A2, A3: {@code grant_type=client_credentials}, {@code client_id}, {@code client_secret}, {@code audience}
     * ("The unique identifier of the target API you want to access"). A {@code scope} parameter does not narrow the
     * result: "During a client credential flow, the scopes returned will always be the full set of authorized scopes
     * for the M2M app" (https://support.auth0.com/center/s/article/Fetching-an-M2M-token-returns-all-granted-scopes-permissions-instead-of-requested-scopes).
     */
    private Answer token(Request request) {
        // Client authentication: the secret as the application's Credentials tab says, Basic or Post (Credential
        // Settings page). Whether Auth0 refuses the other way of sending the secret is UNCONFIRMED; the refusal is the
        // commonly reported 401 {"error":"access_denied","error_description":"Unauthorized"} (e.g.
        // https://github.com/auth0/node-auth0/issues/582), also UNCONFIRMED by the docs.
        Authenticated who = authenticate(request, tokenEndpoint(), reason -> error(401, "access_denied", "Unauthorized"));
        String expected = (String) who.client().extra().get(AUTH_METHOD);
        String used = who.method() == ClientAuth.CLIENT_SECRET_BASIC ? CLIENT_SECRET_BASIC
                : who.method() == ClientAuth.CLIENT_SECRET_POST ? CLIENT_SECRET_POST : "private_key_jwt";
        if (!used.equals(expected)) {
            throw error(401, "access_denied", "Unauthorized");
        }
        String grantType = request.form().get("grant_type");
        if (!"client_credentials".equals(grantType)) {
            // UNCONFIRMED wording; this imitation serves the client-credentials grant only.
            throw error(403, "unsupported_grant_type", "Unsupported grant type: " + grantType);
        }
        String audience = request.form().get("audience");
        if (audience == null || audience.isBlank()) {
            // A11: "Setting the Default Audience is equivalent to appending this audience to every authorization
            // request".
            audience = defaultAudience;
        }
        if (audience == null) {
            // The body as two independent repositories quote it [OBS]; the status is UNCONFIRMED (403 probable).
            throw error(403, "access_denied",
                    "No audience parameter was provided, and no default audience has been configured");
        }
        Dialect dialect = apis.get(audience);
        if (dialect == null) {
            // "Service not found" [OBS]; the exact body is UNCONFIRMED.
            throw error(403, "access_denied", "Service not found: " + audience);
        }
        List<String> scopes = grants.get(who.client().id() + " " + audience);
        if (scopes == null) {
            // HTTP 403, body as reported in https://github.com/auth0/ruby-auth0/issues/610 (2024).
            throw error(403, "access_denied", "Client is not authorized to access \"" + audience + "\". You need to"
                    + " create a \"client-grant\" associated to this API. See:"
                    + " https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants");
        }
        String token = mint(who.client().id(), audience, dialect, scopes);
        issued.add(token);
        // A2, A3: {"access_token":"eyJz93a...k4laUWw","token_type":"Bearer","expires_in":86400}.
        return new Answer(200, JsonUtil.toJson(ordered("access_token", token, "token_type", "Bearer",
                "expires_in", TOKEN_LIFETIME)), Map.of("Cache-Control", "no-store", "Pragma", "no-cache"));
    }

    /**
     * An M2M access token in the API's dialect.
     * <ul>
     * <li>Header: {@code {"alg":"RS256","typ":"JWT","kid":...}} (A1's header table: {@code JWT} for the Auth0
     * profile, {@code at+jwt} for RFC 9068; a real M2M header has this order [OBS]).</li>
     * <li>Auth0 profile, A8's M2M sample in its order: {@code iss sub aud iat exp scope gty azp}; {@code sub} is
     * {@code <client id>@clients} (A1: "Client ID with suffix"), {@code aud} a single string (A10: an array only with
     * {@code /userinfo}), {@code scope} space-separated, {@code gty} {@code "client-credentials"},
     * {@code azp} the client id.</li>
     * <li>RFC 9068 profile, A1's sample in its order: {@code iss sub aud client_id exp iat jti scope}; A1: "The RFC 9068
     * profile incorporates the jti claim", uses {@code client_id} instead of {@code azp} and "does not use the gty
     * claim". Whether {@code sub} keeps its {@code @clients} suffix there is UNCONFIRMED (A1's sample column lists it
     * for both profiles).</li>
     * <li>RBAC's {@code permissions} (A9, "Add Permissions in the Access Token"): an array, {@code scope} stays
     * (A9). For an M2M token its content is UNCONFIRMED: here the client grant's scopes.</li>
     * </ul>
     */
    private String mint(String clientId, String audience, Dialect dialect, List<String> scopes) {
        long now = now();
        String scope = scopes.isEmpty() ? null : String.join(" ", scopes); // an empty grant: no scope (UNCONFIRMED)
        List<String> permissions = dialect.permissions ? List.copyOf(scopes) : null;
        Map<String, Object> header = ordered("alg", "RS256", "typ", dialect.rfc9068 ? "at+jwt" : "JWT",
                "kid", currentKey().kid());
        Map<String, Object> claims = dialect.rfc9068
                ? ordered("iss", issuer(), "sub", clientId + "@clients", "aud", audience, "client_id", clientId,
                        "exp", now + TOKEN_LIFETIME, "iat", now, "jti", randomId(22), "scope", scope,
                        "permissions", permissions)
                : ordered("iss", issuer(), "sub", clientId + "@clients", "aud", audience, "iat", now,
                        "exp", now + TOKEN_LIFETIME, "scope", scope, "permissions", permissions,
                        "gty", "client-credentials", "azp", clientId);
        return sign(header, claims, currentKey());
    }

    private static Refusal error(int status, String error, String description) {
        return new Refusal(status, JsonUtil.toJson(ordered("error", error, "error_description", description)));
    }

    private static String randomId(int length) {
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return id.toString();
    }

    private static byte[] sha1(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
