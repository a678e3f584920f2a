package com.example.m2m.testsupport.providers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jose4j.json.JsonUtil;

/**
 * An imitation of one Amazon Cognito user pool, as a machine (client-credentials) client and the API see it. The real
 * issuer is {@code https://cognito-idp.<region>.amazonaws.com/<poolId>}; here {@code <base>/<poolId>}, with a pool id
 * shaped like a real one ({@code us-east-1_Xk4mP9qRt}: region, underscore, letters and digits). Sources:
 * <ul>
 * <li>[S1] access token: https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html</li>
 * <li>[S2] ID token: https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html</li>
 * <li>[S3] verifying a JWT: https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html</li>
 * <li>[S4] token endpoint: https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html</li>
 * <li>[S5] endpoints: https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-userpools-server-contract-reference.html</li>
 * <li>[S6] scopes, M2M and resource servers: https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-define-resource-servers.html</li>
 * <li>[S7] GetClientToken: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetClientToken.html</li>
 * <li>[S8] AWS' own verifier, https://github.com/awslabs/aws-jwt-verify (src/jwt-model.ts, src/cognito-verifier.ts)</li>
 * </ul>
 * What it serves:
 * <ul>
 * <li>{@code <issuer>/.well-known/openid-configuration} [S5]: the members of a real pool with a domain, alphabetical,
 * as captured from a live pool (no {@code registration_endpoint}, {@code grant_types_supported} or introspection;
 * {@code scopes_supported} lists only the OIDC scopes, never the resource servers' custom scopes). The OAuth endpoints
 * are on the user pool domain ({@code https://<domain>.auth.<region>.amazoncognito.com/oauth2/token} [S4]), another
 * host than the issuer: here {@code <base>/oauth2/token}, the same server under another path than the issuer's.</li>
 * <li>{@code <issuer>/.well-known/jwks.json} [S3, S5]: two RSA keys (one for access tokens, one for ID tokens [S1,
 * S3]), each with exactly {@code alg e kid kty n use}; the {@code kid}s standard base64 (not base64url) of 32 bytes,
 * with {@code +}, {@code /} and {@code =} padding, as real pools publish them.</li>
 * <li>{@code POST /oauth2/token} [S4]: {@code client_credentials} only, client_secret_basic or client_secret_post,
 * form-encoded; {@code scope} optional (omitted: every custom scope of the app client [S4, S7]; a requested scope the
 * client does not have is ignored [S4]); scopes are always {@code <resource server identifier>/<scope name>} [S6, S7].
 * Success {@code {"access_token":...,"token_type":"Bearer","expires_in":3600}} (no ID or refresh token); errors 400
 * with only {@code {"error":"<code>"}}, no {@code error_description} [S4].</li>
 * <li>No client registration (RFC 7591): app clients are made with the IAM-authorised CreateUserPoolClient API only;
 * any other path answers 404.</li>
 * </ul>
 * The client-credentials access token, header {@code {"kid":..., "alg":"RS256"}} without {@code typ} [S1]; claims, in
 * the order real tokens have them: {@code sub} (the app client id: there is no user), {@code token_use: "access"},
 * {@code scope} (one space-separated string of prefixed scopes), {@code auth_time}, {@code iss}, {@code exp},
 * {@code iat}, {@code version: 2} (a number, [S8] {@code CognitoAccessTokenFields}), {@code jti}, {@code client_id}.
 * No {@code aud}: "Only Cognito ID tokens have an audience claim, Cognito Access token have a client_id claim
 * instead" [S8 README]; [S3] "the aud claim in an ID token and the client_id claim in an access token should match the
 * app client ID". No {@code username}, {@code cognito:groups}, {@code origin_jti}, {@code event_id}: user-session
 * claims.
 * <p>
 * For contrast, {@link #signIn} gives what a user's sign-in to an app client of the same pool yields (the hosted UI or
 * InitiateAuth): an access token like [S1]'s sample and an ID token like [S2]'s ({@code aud} = the app client,
 * {@code token_use: "id"}, {@code at_hash}, {@code cognito:username}, ...), the ID token signed with the pool's other
 * key.
 */
public final class CognitoUserPool extends ProviderImitation {

    public static final String REGION = "us-east-1";
    /** The OIDC scopes a pool's discovery document lists; custom scopes are never listed there. */
    static final List<String> OIDC_SCOPES = List.of("openid", "email", "phone", "profile");
    /** The client extra that lists an app client's OAuth flows (CreateUserPoolClient's AllowedOAuthFlows). */
    static final String ALLOWED_OAUTH_FLOWS = "AllowedOAuthFlows";

    private final String poolId;
    private final SigningKey accessKey;
    private final SigningKey idKey;
    /** Resource server identifier -> its scope names. */
    private final Map<String, Set<String>> resourceServers = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile int tokenLifetime = 3600;

    private CognitoUserPool(String poolId) {
        this.poolId = poolId;
        this.accessKey = cognitoKey("access");
        this.idKey = cognitoKey("id");
        keys.add(accessKey);
        keys.add(idKey);
        route("/" + poolId + "/.well-known/openid-configuration", request -> Answer.ok(discovery()));
        route("/" + poolId + "/.well-known/jwks.json", request -> Answer.ok(jwks(CognitoUserPool::jwk)));
        route("/oauth2/token", this::token);
    }

    /** A pool with an id like {@code us-east-1_Xk4mP9qRt}. */
    public static CognitoUserPool start() {
        String id = UUID.randomUUID().toString().replace("-", "");
        return new CognitoUserPool(REGION + "_" + Character.toUpperCase(id.charAt(0)) + id.substring(1, 9));
    }

    public String poolId() {
        return poolId;
    }

    /** {@code https://cognito-idp.<region>.amazonaws.com/<poolId>} with the imitation's base for the host. */
    public String issuer() {
        return base() + "/" + poolId;
    }

    /** The user pool domain's token endpoint ({@code https://<domain>.auth.<region>.amazoncognito.com/oauth2/token}). */
    public String tokenEndpoint() {
        return base() + "/oauth2/token";
    }

    public SigningKey accessTokenKey() {
        return accessKey;
    }

    public SigningKey idTokenKey() {
        return idKey;
    }

    /** {@code expires_in} of the next tokens (an app client's access token lifetime: 5 minutes to 1 day [S1]). */
    public void tokenLifetime(int seconds) {
        this.tokenLifetime = seconds;
    }

    /** A resource server (CreateResourceServer): its identifier and its scope names. */
    public void addResourceServer(String identifier, String... scopeNames) {
        resourceServers.put(identifier, Set.of(scopeNames));
    }

    /**
     * An app client with a secret, allowed the client_credentials flow, with these custom scopes, each
     * {@code <resource server identifier>/<scope name>} of a resource server of the pool (as the console and
     * UpdateUserPoolClient refuse any other).
     */
    public Client addAppClient(String clientId, String secret, String... scopes) {
        for (String scope : scopes) {
            int slash = scope.lastIndexOf('/');
            Set<String> names = slash < 0 ? null : resourceServers.get(scope.substring(0, slash));
            if (names == null || !names.contains(scope.substring(slash + 1))) {
                throw new IllegalArgumentException(scope + " is not a scope of a resource server of " + poolId);
            }
        }
        return addClient(new Client(clientId, secret, null, new LinkedHashSet<>(Arrays.asList(scopes)),
                Map.of(ALLOWED_OAUTH_FLOWS, List.of("client_credentials"))));
    }

    /** An app client of the pool, as the tests configure their callers with it. */
    public Client appClient(String clientId) {
        return clients.get(clientId);
    }

    // ---- documents ----

    /** The members of a real pool's document with a domain, in its (alphabetical) order. */
    private String discovery() {
        return JsonUtil.toJson(ordered(
                "authorization_endpoint", base() + "/oauth2/authorize",
                "id_token_signing_alg_values_supported", List.of("RS256"),
                "issuer", issuer(),
                "jwks_uri", issuer() + "/.well-known/jwks.json",
                "response_types_supported", List.of("code", "token"),
                "scopes_supported", OIDC_SCOPES,
                "subject_types_supported", List.of("public"),
                "token_endpoint", tokenEndpoint(),
                "token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"),
                "userinfo_endpoint", base() + "/oauth2/userInfo"));
    }

    /** [S3]: {@code {"alg":"RS256","e":...,"kid":...,"kty":"RSA","n":...,"use":"sig"}}, nothing else. */
    private static Map<String, Object> jwk(SigningKey key) {
        Map<String, Object> rsa = rsaMembers(key);
        return ordered("alg", "RS256", "e", rsa.get("e"), "kid", key.kid(), "kty", "RSA", "n", rsa.get("n"),
                "use", "sig");
    }

    /**
     * A key with a kid like a real pool's ({@code vyVQH7UMjwYboVvyFf+zd4KHZfgc+RtmU/A2vHhgITI=}): standard base64 of 32
     * bytes, here the SHA-256 of the public key, hashed again until the kid has both {@code +} and {@code /} (and it
     * always ends in {@code =}), so that every run shows a kid that base64url or a URL would mangle.
     */
    private static SigningKey cognitoKey(String use) {
        SigningKey key = newKey(use);
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha256.digest(key.publicKey().getEncoded());
            String kid = Base64.getEncoder().encodeToString(digest);
            while (!(kid.contains("+") && kid.contains("/"))) {
                digest = sha256.digest(digest);
                kid = Base64.getEncoder().encodeToString(digest);
            }
            return new SigningKey(kid, key.pair());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the token endpoint [S4] ----

    /** [S4]'s error answer: 400, {@code {"error":"<code>"}} and nothing else. */
    static Refusal error(String code) {
        return new Refusal(400, JsonUtil.toJson(Map.of("error", code)));
    }

    private Answer token(Request request) {
        // "The /oauth2/token endpoint only supports HTTPS POST"; Content-Type "Must always be
        // 'application/x-www-form-urlencoded'". (The answer to anything else is not documented: invalid_request.)
        String type = request.header("Content-Type");
        if (!"POST".equals(request.method()) || type == null
                || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw error("invalid_request");
        }
        String grant = request.form().get("grant_type");
        if (grant == null || grant.isBlank()) {
            throw error("invalid_request");
        }
        if (!List.of("authorization_code", "refresh_token", "client_credentials").contains(grant)) {
            throw error("unsupported_grant_type");
        }
        // client_secret_basic or client_secret_post; Cognito has no private_key_jwt for app clients.
        if (request.form().containsKey("client_assertion")) {
            throw error("invalid_client");
        }
        Client client = authenticate(request, tokenEndpoint(), description -> error("invalid_client")).client();
        @SuppressWarnings("unchecked")
        List<String> flows = (List<String>) client.extra().getOrDefault(ALLOWED_OAUTH_FLOWS, List.of());
        if (!flows.contains(grant)) {
            // "Client is not allowed for code grant flow or for refreshing tokens." (This imitation has no users'
            // code or refresh flows: its app clients are machine clients.)
            throw error("unauthorized_client");
        }
        List<String> granted = grantedScopes(client, request.form().get("scope"));
        String accessToken = clientCredentialsToken(client.id(), granted);
        return Answer.ok(JsonUtil.toJson(ordered("access_token", accessToken, "token_type", "Bearer",
                "expires_in", tokenLifetime)));
    }

    /**
     * [S4] "Any scope that you request must be activated for the app client, or Amazon Cognito will ignore it. If the
     * client doesn't request any scopes, the authentication server uses all custom scopes associated with the
     * client." Client credentials give custom scopes only [S6]: {@code openid} and the like are ignored too. When
     * nothing is left, real pools answer the bare {@code {"error":"invalid_scope"}} (seen in answers, e.g.
     * https://repost.aws/questions/QUnhrxb08MRJaH7hIRtUnCKA/oauth-password-grant-type-with-cognito; the exact trigger
     * is not documented).
     */
    private static List<String> grantedScopes(Client client, String requested) {
        List<String> granted = new ArrayList<>();
        if (requested == null || requested.isBlank()) {
            granted.addAll(client.scopes());
        } else {
            for (String scope : requested.trim().split(" +")) {
                if (client.scopes().contains(scope) && !granted.contains(scope)) {
                    granted.add(scope);
                }
            }
        }
        if (granted.isEmpty()) {
            throw error("invalid_scope");
        }
        return granted;
    }

    /** The access token of a client-credentials grant, exactly as the token endpoint gives it (see the class). */
    public String clientCredentialsToken(String clientId, List<String> scopes) {
        long now = now();
        return sign(ordered("kid", accessKey.kid(), "alg", "RS256"), ordered(
                "sub", clientId,
                "token_use", "access",
                "scope", String.join(" ", scopes),
                "auth_time", now,
                "iss", issuer(),
                "exp", now + tokenLifetime,
                "iat", now,
                "version", 2,
                "jti", UUID.randomUUID().toString(),
                "client_id", clientId), accessKey);
    }

    // ---- a user's tokens, for contrast ----

    /** What a user's sign-in to an app client gives: an access token and an ID token. */
    public record UserTokens(String accessToken, String idToken) {
    }

    /**
     * A user's sign-in to {@code appClientId}: the access token as in [S1]'s sample ({@code username},
     * {@code origin_jti}, the scope {@code aws.cognito.signin.user.admin}; no {@code aud}), and the ID token as in
     * [S2]'s sample: {@code aud} the app client, {@code token_use: "id"}, {@code cognito:username}, {@code email} and
     * {@code email_verified} (a boolean), {@code at_hash} (OIDC Core 3.1.3.6: the left half of the SHA-256 of the
     * access token, base64url; [S8]'s ID token fields have it), signed with the pool's ID-token key [S1, S3].
     */
    public UserTokens signIn(String username, String appClientId) {
        long now = now();
        String sub = UUID.nameUUIDFromBytes((poolId + "/" + username).getBytes(StandardCharsets.UTF_8)).toString();
        String originJti = UUID.randomUUID().toString();
        String access = sign(ordered("kid", accessKey.kid(), "alg", "RS256"), ordered(
                "sub", sub,
                "token_use", "access",
                "scope", "aws.cognito.signin.user.admin",
                "auth_time", now,
                "iss", issuer(),
                "exp", now + tokenLifetime,
                "iat", now,
                "origin_jti", originJti,
                "jti", UUID.randomUUID().toString(),
                "client_id", appClientId,
                "username", username), accessKey);
        String id = sign(ordered("kid", idKey.kid(), "alg", "RS256"), ordered(
                "at_hash", atHash(access),
                "sub", sub,
                "aud", appClientId,
                "email_verified", true,
                "token_use", "id",
                "auth_time", now,
                "iss", issuer(),
                "cognito:username", username,
                "exp", now + tokenLifetime,
                "iat", now,
                "email", username + "@example.com",
                "jti", UUID.randomUUID().toString(),
                "origin_jti", originJti), idKey);
        return new UserTokens(access, id);
    }

    private static String atHash(String accessToken) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, digest.length / 2));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
