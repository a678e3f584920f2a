package com.example.m2m.testsupport.providers;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jose4j.json.JsonUtil;

/**
 * An imitation of one Microsoft Entra ID (Azure AD) tenant as a daemon app and a custom registered API see it: the
 * v2.0 and v1.0 OpenID Connect discovery documents, their key sets, and the client-credentials grant at both token
 * endpoints, issuing app-only access tokens for one API app whose token version follows its manifest's
 * {@code accessTokenAcceptedVersion} ({@link #acceptedVersion(int)}). The real host
 * {@code https://login.microsoftonline.com} is {@link #base()} here; {@code https://sts.windows.net/<tid>/}, the
 * v1.0 issuer, is only a string (nobody fetches it).
 * <p>
 * Pages (Microsoft Learn; the facts and the third-party captures are collected in the project's provider notes):
 * <ul>
 * <li>[AT] https://learn.microsoft.com/en-us/entra/identity-platform/access-tokens</li>
 * <li>[ATC] https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference</li>
 * <li>[IDC] https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference</li>
 * <li>[CC] https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow</li>
 * <li>[CC1] https://learn.microsoft.com/en-us/previous-versions/azure/active-directory/azuread-dev/v1-oauth2-client-creds-grant-flow
 * (the v1.0 endpoint: {@code resource}, not {@code scope})</li>
 * <li>[OPT] https://learn.microsoft.com/en-us/entra/identity-platform/optional-claims-reference</li>
 * <li>[ERR] https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes</li>
 * <li>[OIDC] https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc</li>
 * <li>[ROLES] https://learn.microsoft.com/en-us/entra/identity-platform/howto-add-app-roles-in-apps</li>
 * <li>[GAPI] https://learn.microsoft.com/graph/api/resources/apiapplication ({@code requestedAccessTokenVersion})</li>
 * </ul>
 * Not imitated: {@code /common} and {@code /organizations}, certificate (private_key_jwt) clients' {@code x5t}
 * assertion header, app role assignment required (AADSTS501051), optional claims such as {@code idtyp}, and
 * a {@code resource} parameter sent to the v2.0 endpoint (ignored here).
 */
public final class EntraTenant extends ProviderImitation {

    /** Microsoft Graph's (Azure AD Graph's) application id: the v1.0 endpoint's resource when none is named. */
    public static final String AAD_GRAPH = "00000002-0000-0000-c000-000000000000";

    private final String tenantId;
    private final String apiClientId;
    /** The API app's {@code accessTokenAcceptedVersion}: null and 1 mean v1.0 tokens, 2 means v2.0 ([AT], [GAPI]). */
    private volatile int acceptedVersion;
    /** Each key's self-signed certificate (DER), as published in {@code x5c}; {@code kid} = {@code x5t}. */
    private final Map<String, byte[]> certificates = new java.util.concurrent.ConcurrentHashMap<>();
    /** The AADSTS codes this tenant refused token requests with, oldest first. */
    private final List<Integer> refusals = new CopyOnWriteArrayList<>();

    /**
     * A tenant {@code tenantId} (a GUID) with one registered API whose application (client) id is {@code apiClientId}
     * and whose App ID URI is {@code api://<apiClientId>} (the portal's default), issuing tokens of version
     * {@code acceptedVersion}.
     */
    public EntraTenant(String tenantId, String apiClientId, int acceptedVersion) {
        this.tenantId = tenantId;
        this.apiClientId = apiClientId;
        acceptedVersion(acceptedVersion);
        keys.add(newCertifiedKey());
        String t = "/" + tenantId;
        route(t + "/v2.0/.well-known/openid-configuration", r -> discovery(v2Metadata()));
        route(t + "/.well-known/openid-configuration", r -> discovery(v1Metadata()));
        route(t + "/discovery/v2.0/keys", r -> discovery(jwks(key -> jwk(key, true))));
        route(t + "/discovery/keys", r -> discovery(jwks(key -> jwk(key, false))));
        route(t + "/oauth2/v2.0/token", this::v2Token);
        route(t + "/oauth2/token", this::v1Token);
    }

    public static EntraTenant start(String tenantId, String apiClientId, int acceptedVersion) {
        return new EntraTenant(tenantId, apiClientId, acceptedVersion);
    }

    public String tenantId() {
        return tenantId;
    }

    /** The API's application (client) id: what a v2.0 token's {@code aud} always is ([ATC]). */
    public String apiClientId() {
        return apiClientId;
    }

    /** The API's Application ID URI, {@code api://<application id>}: what a client asks for, + {@code /.default}. */
    public String appIdUri() {
        return "api://" + apiClientId;
    }

    /** The API app's manifest {@code accessTokenAcceptedVersion}: 1 (or null) for v1.0 tokens, 2 for v2.0. */
    public void acceptedVersion(int version) {
        if (version != 1 && version != 2) {
            throw new IllegalArgumentException("accessTokenAcceptedVersion is null, 1 or 2");
        }
        this.acceptedVersion = version;
    }

    /** {@code https://login.microsoftonline.com/<tid>/v2.0}: the v2.0 authority, and the v2.0 issuer ([OIDC], [AT]). */
    public String v2Authority() {
        return base() + "/" + tenantId + "/v2.0";
    }

    /** {@code https://login.microsoftonline.com/<tid>}: the v1.0 authority ("remove the /v2.0", [AT]). */
    public String v1Authority() {
        return base() + "/" + tenantId;
    }

    /** The v1.0 issuer of a tenant, trailing slash included ([AT], [ATC]); only ever a string. */
    public static String stsIssuer(String tenantId) {
        return "https://sts.windows.net/" + tenantId + "/";
    }

    public String v2TokenEndpoint() {
        return base() + "/" + tenantId + "/oauth2/v2.0/token";
    }

    public String v1TokenEndpoint() {
        return base() + "/" + tenantId + "/oauth2/token";
    }

    /**
     * Registers a daemon app: its application (client) id, a client secret, the API's app roles granted to it
     * (application permissions, by admin consent; their {@code value}s, e.g. {@code read:messages}, [ROLES]), and the
     * object id of its service principal in this tenant, which app-only tokens carry as {@code oid} and {@code sub}.
     */
    public Client addDaemon(String appId, String secret, Set<String> roles) {
        return addClient(new Client(appId, secret, null, roles,
                Map.of("oid", UUID.nameUUIDFromBytes(("sp:" + tenantId + ":" + appId).getBytes(StandardCharsets.UTF_8))
                        .toString())));
    }

    /** The object id of a daemon's service principal: its tokens' {@code oid} and {@code sub}, not its app id. */
    public String servicePrincipalId(String appId) {
        return (String) clients.get(appId).extra().get("oid");
    }

    /** The AADSTS codes of the token requests this tenant refused, oldest first. */
    public List<Integer> refusals() {
        return List.copyOf(refusals);
    }

    // ---- discovery ----

    /** Discovery and key documents: {@code Cache-Control: max-age=86400, private}, CORS open (observed). */
    private static Answer discovery(String json) {
        return new Answer(200, json, Map.of("Cache-Control", "max-age=86400, private", "Access-Control-Allow-Origin", "*"));
    }

    /** The live tenant v2.0 document, member for member and in its order (an MSAL fixture's capture; [OIDC]). */
    private String v2Metadata() {
        String t = base() + "/" + tenantId;
        return JsonUtil.toJson(ordered(
                "token_endpoint", t + "/oauth2/v2.0/token",
                "token_endpoint_auth_methods_supported", List.of("client_secret_post", "private_key_jwt", "client_secret_basic"),
                "jwks_uri", t + "/discovery/v2.0/keys",
                "response_modes_supported", List.of("query", "fragment", "form_post"),
                "subject_types_supported", List.of("pairwise"),
                "id_token_signing_alg_values_supported", List.of("RS256"),
                "response_types_supported", List.of("code", "id_token", "code id_token", "id_token token"),
                "scopes_supported", List.of("openid", "profile", "email", "offline_access"),
                "issuer", v2Authority(),
                "request_uri_parameter_supported", false,
                "userinfo_endpoint", "https://graph.microsoft.com/oidc/userinfo",
                "authorization_endpoint", t + "/oauth2/v2.0/authorize",
                "device_authorization_endpoint", t + "/oauth2/v2.0/devicecode",
                "http_logout_supported", true,
                "frontchannel_logout_supported", true,
                "end_session_endpoint", t + "/oauth2/v2.0/logout",
                "claims_supported", List.of("sub", "iss", "cloud_instance_name", "cloud_instance_host_name",
                        "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce",
                        "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"),
                "kerberos_endpoint", t + "/kerberos",
                "tenant_region_scope", "NA",
                "cloud_instance_name", "microsoftonline.com",
                "cloud_graph_host_name", "graph.windows.net",
                "msgraph_host", "graph.microsoft.com",
                "rbac_url", "https://pas.windows.net"));
    }

    /**
     * The v1.0 document (Microsoft's own mock of the live one, AzureAD/MSIdentityTools, with the tenant in place of
     * {@code common}): issuer {@code https://sts.windows.net/<tid>/}, {@code /oauth2/token}, {@code /discovery/keys}.
     * The tenant's own {@code jwks_uri} ([AT] gives the tenant form; older captures showed {@code common}'s, which
     * serves the same keys).
     */
    private String v1Metadata() {
        String t = base() + "/" + tenantId;
        return JsonUtil.toJson(ordered(
                "token_endpoint", t + "/oauth2/token",
                "token_endpoint_auth_methods_supported", List.of("client_secret_post", "private_key_jwt", "client_secret_basic"),
                "jwks_uri", t + "/discovery/keys",
                "response_modes_supported", List.of("query", "fragment", "form_post"),
                "subject_types_supported", List.of("pairwise"),
                "id_token_signing_alg_values_supported", List.of("RS256"),
                "response_types_supported", List.of("code", "id_token", "code id_token", "token id_token", "token"),
                "scopes_supported", List.of("openid"),
                "issuer", stsIssuer(tenantId),
                "microsoft_multi_refresh_token", true,
                "authorization_endpoint", t + "/oauth2/authorize",
                "device_authorization_endpoint", t + "/oauth2/devicecode",
                "http_logout_supported", true,
                "frontchannel_logout_supported", true,
                "end_session_endpoint", t + "/oauth2/logout",
                "claims_supported", List.of("sub", "iss", "cloud_instance_name", "cloud_instance_host_name",
                        "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "amr", "nonce",
                        "email", "given_name", "family_name", "nickname"),
                "check_session_iframe", t + "/oauth2/checksession",
                "userinfo_endpoint", t + "/openid/userinfo",
                "kerberos_endpoint", t + "/kerberos",
                "tenant_region_scope", "NA",
                "cloud_instance_name", "microsoftonline.com",
                "cloud_graph_host_name", "graph.windows.net",
                "msgraph_host", "graph.microsoft.com",
                "rbac_url", "https://pas.windows.net"));
    }

    /**
     * A key as Entra publishes it ([AT] sample, every key of the live snapshot): {@code kty use kid x5t n e x5c}, in
     * that order, and on the v2.0 endpoint {@code issuer} (the {@code {tenantid}} template, [AT]). <b>No {@code alg}.</b>
     * {@code kid} and {@code x5t} are the certificate's SHA-1 thumbprint; {@code x5c} its standard base64 DER.
     */
    private Map<String, Object> jwk(SigningKey key, boolean v2) {
        Map<String, Object> rsa = rsaMembers(key);
        return ordered("kty", "RSA", "use", "sig", "kid", key.kid(), "x5t", key.kid(),
                "n", rsa.get("n"), "e", rsa.get("e"),
                "x5c", List.of(Base64.getEncoder().encodeToString(certificates.get(key.kid()))),
                "issuer", v2 ? base() + "/{tenantid}/v2.0" : null);
    }

    // ---- the token endpoints ----

    /**
     * {@code POST /<tid>/oauth2/v2.0/token} ([CC]): {@code grant_type=client_credentials}, the client's secret (Basic or
     * in the form) or assertion, and {@code scope=<resource identifier>/.default}, the resource being the API's App ID
     * URI or its application id. The token's version is the API's, not the endpoint's ([AT]).
     */
    private Answer v2Token(Request request) {
        Authenticated caller = authenticate(request, v2TokenEndpoint(), description -> clientRefusal(description));
        grantType(request);
        String scope = request.form().get("scope");
        if (scope == null || scope.isBlank()) {
            throw refuse(400, "invalid_request", 900144,
                    "The request body must contain the following parameter: 'scope'.");
        }
        List<String> resources = new ArrayList<>();
        for (String each : scope.trim().split(" +")) {
            // Observed answer (msgraph-sdk-python#181, MicrosoftDocs/azure-docs#99862, ctron/oidc-cli#7); 400 ([CC]).
            if (!each.endsWith("/.default")) {
                throw refuse(400, "invalid_scope", 1002012, "The provided value for scope " + scope + " is not "
                        + "valid. Client credential flows must have a scope value with /.default suffixed to the "
                        + "resource identifier (application ID URI).");
            }
            resources.add(each.substring(0, each.length() - "/.default".length()));
        }
        if (resources.stream().distinct().count() > 1) {
            throw refuse(400, "invalid_scope", 70011, "The provided value for the input parameter 'scope' is not "
                    + "valid. One or more scopes in '" + scope + "' are not compatible with each other.");
        }
        String resource = resources.get(0);
        if (!isApi(resource)) {
            throw resourceNotFound(resource);
        }
        return issued(caller, resource, ordered(
                "token_type", "Bearer", "expires_in", LIFETIME - 1, "ext_expires_in", LIFETIME - 1));
    }

    /**
     * {@code POST /<tid>/oauth2/token}, the v1.0 endpoint ([CC1]): {@code resource=<App ID URI>} names the API, and
     * {@code scope} is ignored. Without {@code resource} the token is for Azure AD Graph
     * ({@code aud 00000002-0000-0000-c000-000000000000}): MicrosoftDocs/azure-docs#64495 (a Microsoft PM: "This is the
     * case for the v1 endpoint"), DuendeArchive/IdentityModel#74, microsoftgraph/microsoft-graph-docs#17911. The answer
     * is [CC1]'s: numbers as strings, {@code expires_on}, {@code not_before}, {@code resource}.
     */
    private Answer v1Token(Request request) {
        Authenticated caller = authenticate(request, v1TokenEndpoint(), description -> clientRefusal(description));
        grantType(request);
        String resource = request.form().get("resource");
        if (resource == null || resource.isBlank()) {
            resource = AAD_GRAPH;
        } else if (!isApi(resource)) {
            throw resourceNotFound(resource);
        }
        long now = now();
        return issued(caller, resource, ordered(
                "token_type", "Bearer", "expires_in", String.valueOf(LIFETIME - 1),
                "expires_on", String.valueOf(now + LIFETIME - 1), "not_before", String.valueOf(now - BACKDATED),
                "resource", resource));
    }

    /**
     * A client that did not authenticate: AADSTS7000218 without credentials, AADSTS7000215 (HTTP 401, observed) with a
     * wrong secret ([ERR]). (An unknown client id is AADSTS700016 there; one answer for both here.)
     */
    private Refusal clientRefusal(String description) {
        return description.equals("no client authentication")
                ? refuse(401, "invalid_client", 7000218, "The request body must contain the following parameter: "
                        + "'client_assertion' or 'client_secret'.")
                : refuse(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being "
                        + "sent in the request is the client secret value, not the client secret ID.");
    }

    private void grantType(Request request) {
        if (!"client_credentials".equals(request.form().get("grant_type"))) {
            throw refuse(400, "unsupported_grant_type", 70003,
                    "The app requested an unsupported grant type '" + request.form().get("grant_type") + "'.");
        }
    }

    /** The API's App ID URI (with or without a trailing slash) or its application id ([OPT] on v1.0 {@code aud}). */
    private boolean isApi(String resource) {
        String bare = resource.endsWith("/") ? resource.substring(0, resource.length() - 1) : resource;
        return bare.equals(appIdUri()) || bare.equals(apiClientId);
    }

    private Refusal resourceNotFound(String resource) {
        return refuse(400, "invalid_resource", 500011, "The resource principal named " + resource + " was not found "
                + "in the tenant named " + tenantId + ". This can happen if the application has not been installed by "
                + "the administrator of the tenant or consented to by any user in the tenant. You might have sent "
                + "your authentication request to the wrong tenant.");
    }

    private Answer issued(Authenticated caller, String resource, Map<String, Object> answer) {
        String token = AAD_GRAPH.equals(resource) ? graphToken(caller) : accessToken(caller, resource);
        answer.put("access_token", token);
        return new Answer(200, JsonUtil.toJson(answer), Map.of("Cache-Control", "no-store, no-cache", "Pragma", "no-cache"));
    }

    /**
     * An error as Entra shapes it ([CC], [ERR]): {@code error}, {@code error_description} ("AADSTS<code>: ..." with the
     * trace id, correlation id and timestamp), {@code error_codes}, {@code timestamp}, {@code trace_id},
     * {@code correlation_id}, {@code error_uri}.
     */
    private Refusal refuse(int status, String error, int code, String text) {
        refusals.add(code);
        String timestamp = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'"));
        String trace = UUID.randomUUID().toString();
        String correlation = UUID.randomUUID().toString();
        return new Refusal(status, JsonUtil.toJson(ordered(
                "error", error,
                "error_description", "AADSTS" + code + ": " + text + "\r\nTrace ID: " + trace + "\r\nCorrelation ID: "
                        + correlation + "\r\nTimestamp: " + timestamp,
                "error_codes", List.of(code),
                "timestamp", timestamp,
                "trace_id", trace,
                "correlation_id", correlation,
                "error_uri", base() + "/error?code=" + code)));
    }

    // ---- tokens ----

    /** Seconds a token lives after it is issued (the default is 60-90 min, [AT]; expires_in 3599 observed). */
    static final long LIFETIME = 3600;
    /** {@code iat} and {@code nbf} lie this far back: observed app-only tokens have {@code exp - iat} = 3900. */
    static final long BACKDATED = 300;

    /**
     * The app-only access token the tenant issues a daemon for the API, in the API's accepted version ([ATC], [AT]):
     * <ul>
     * <li>v1.0: {@code aud} the resource as requested (the App ID URI, observed), {@code iss} sts, {@code appid},
     * {@code appidacr}, {@code idp} = {@code iss} (observed), header {@code typ alg x5t kid};</li>
     * <li>v2.0: {@code aud} always the API's application id, {@code iss} the v2.0 authority, {@code azp},
     * {@code azpacr}, header {@code typ alg kid}.</li>
     * </ul>
     * Both: {@code roles} (the granted app roles' values; absent when none, [CC]), {@code oid} = {@code sub} = the
     * client's service principal, {@code tid}, {@code uti}, {@code rh}, {@code aio}, {@code ver}; never {@code scp}
     * ("only included for user tokens").
     */
    private String accessToken(Authenticated caller, String requested) {
        Client client = caller.client();
        String acr = caller.method() == ClientAuth.PRIVATE_KEY_JWT ? "2" : "1";
        return accessToken(client.id(), acceptedVersion, acceptedVersion == 2 ? apiClientId : requested, acr,
                client.scopes());
    }

    /** An app-only access token for a registered daemon, as the token endpoints issue it (for tests that forge). */
    public String accessToken(String appId, int version, String aud, String acr, Set<String> roles) {
        Map<String, Object> claims = accessTokenClaims(appId, version, aud, acr, roles);
        return sign(header(version), claims, currentKey());
    }

    /** The header of Entra's tokens: {@code typ alg kid}, and in v1.0 {@code x5t} before {@code kid} ([ATC], [AT]). */
    public Map<String, Object> header(int version) {
        String kid = currentKey().kid();
        return version == 1 ? ordered("typ", "JWT", "alg", "RS256", "x5t", kid, "kid", kid)
                : ordered("typ", "JWT", "alg", "RS256", "kid", kid);
    }

    /** The claims of an app-only access token, in the order real tokens list them. */
    public Map<String, Object> accessTokenClaims(String appId, int version, String aud, String acr, Set<String> roles) {
        long now = now();
        String oid = servicePrincipalId(appId);
        List<String> granted = roles == null || roles.isEmpty() ? null : roles.stream().sorted().toList();
        if (version == 1) {
            String iss = stsIssuer(tenantId);
            return ordered("aud", aud, "iss", iss, "iat", now - BACKDATED, "nbf", now - BACKDATED, "exp", now + LIFETIME,
                    "aio", opaque(36) + "==", "appid", appId, "appidacr", acr, "idp", iss, "oid", oid,
                    "rh", "1." + opaque(68) + ".", "roles", granted, "sub", oid, "tid", tenantId, "uti", opaque(22),
                    "ver", "1.0");
        }
        return ordered("aud", aud, "iss", v2Authority(), "iat", now - BACKDATED, "nbf", now - BACKDATED,
                "exp", now + LIFETIME, "aio", opaque(36) + "==", "azp", appId, "azpacr", acr, "oid", oid,
                "rh", "1." + opaque(68) + ".", "roles", granted, "sub", oid, "tid", tenantId, "uti", opaque(22),
                "ver", "2.0");
    }

    /** A v1.0 app-only token for Azure AD Graph: what the v1.0 endpoint issues when no {@code resource} is named. */
    private String graphToken(Authenticated caller) {
        String acr = caller.method() == ClientAuth.PRIVATE_KEY_JWT ? "2" : "1";
        return accessToken(caller.client().id(), 1, AAD_GRAPH, acr, Set.of());
    }

    /**
     * A v2.0 ID token the tenant issued to the API app itself when a user signed in to it ([IDC]): {@code aud} = the
     * API's application id, {@code nonce} from the authorize request, {@code sub} pairwise, the user's {@code oid};
     * no {@code azp}, no {@code roles} (none assigned to the user). From the {@code /token} endpoint, so no
     * {@code c_hash} or {@code at_hash} ([IDC]).
     */
    public String idToken(String userOid, String nonce) {
        long now = now();
        Map<String, Object> claims = ordered("aud", apiClientId, "iss", v2Authority(), "iat", now - BACKDATED,
                "nbf", now - BACKDATED, "exp", now + LIFETIME, "aio", opaque(36) + "==", "name", "Megan Bowen",
                "nonce", nonce, "oid", userOid, "preferred_username", "meganb@contoso.example",
                "rh", "1." + opaque(68) + ".", "sid", UUID.randomUUID().toString(), "sub", opaque(43),
                "tid", tenantId, "uti", opaque(22), "ver", "2.0");
        return sign(header(2), claims, currentKey());
    }

    /**
     * A JWS with exactly this header and these claims, signed with the tenant's current key by {@code alg} (RS256,
     * RS384, RS512, PS256, PS384, PS512): for tokens Entra never issues (it signs with RS256 only).
     */
    public String signWith(String alg, Map<String, Object> header, Map<String, Object> claims) {
        String head = base64Url(JsonUtil.toJson(header).getBytes(StandardCharsets.UTF_8));
        String body = base64Url(JsonUtil.toJson(claims).getBytes(StandardCharsets.UTF_8));
        try {
            Signature signer;
            String bits = alg.substring(2);
            if (alg.startsWith("RS")) {
                signer = Signature.getInstance("SHA" + bits + "withRSA");
            } else if (alg.startsWith("PS")) {
                signer = Signature.getInstance("RSASSA-PSS");
                String digest = "SHA-" + bits;
                signer.setParameter(new PSSParameterSpec(digest, "MGF1", new MGF1ParameterSpec(digest),
                        Integer.parseInt(bits) / 8, 1));
            } else {
                throw new IllegalArgumentException(alg);
            }
            signer.initSign(currentKey().pair().getPrivate());
            signer.update((head + "." + body).getBytes(StandardCharsets.US_ASCII));
            return head + "." + body + "." + base64Url(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** An opaque base64url string of {@code length} characters ({@code aio}, {@code rh}, {@code uti}: [ATC]). */
    private static String opaque(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).substring(0, length);
    }

    // ---- a key with its self-signed certificate ----

    /**
     * A new RSA key, its self-signed X.509 certificate (Entra's signing certificates are self-signed,
     * CN=accounts.accesscontrol.windows.net), and {@code kid} = {@code x5t} = base64url(SHA-1(certificate)), 27
     * characters as in [AT]'s sample ({@link SelfSignedCertificate}).
     */
    private SigningKey newCertifiedKey() {
        SigningKey bare = newKey("pending");
        try {
            byte[] certificate = SelfSignedCertificate.of(bare, "accounts.accesscontrol.windows.net");
            String thumbprint = base64Url(MessageDigest.getInstance("SHA-1").digest(certificate));
            certificates.put(thumbprint, certificate);
            return new SigningKey(thumbprint, bare.pair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the signing certificate", e);
        }
    }

    /** Adds a new signing key (a rotation): it signs from now on, the old one stays published after it. */
    public SigningKey rotate() {
        SigningKey next = newCertifiedKey();
        keys.add(0, next);
        return next;
    }
}
