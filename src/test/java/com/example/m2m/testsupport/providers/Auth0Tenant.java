package com.example.m2m.testsupport.providers;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.URLDecoder;
import java.net.URLEncoder;
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

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

import org.jose4j.json.JsonUtil;

import com.example.m2m.testsupport.TestCertificates;

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
 * and for mutual TLS (RFC 8705; a Highly Regulated Identity feature), when a test turns it on
 * ({@link #enableMtlsEndpointAliases()}, {@link #addMtlsApplication}):
 * <ul>
 * <li>M1 Configure mTLS Authentication for a Tenant:
 * https://auth0.com/docs/get-started/applications/configure-mtls/configure-mtls-for-a-tenant</li>
 * <li>M2 Configure mTLS Authentication for a Client:
 * https://auth0.com/docs/get-started/applications/configure-mtls/configure-mtls-for-a-client</li>
 * <li>M3 Authenticate with mTLS:
 * https://auth0.com/docs/get-started/authentication-and-authorization-flow/authenticate-with-mtls</li>
 * <li>M4 Set up the Customer Edge: https://auth0.com/docs/get-started/applications/configure-mtls/set-up-the-customer-edge</li>
 * <li>M5 mTLS Sender Constraining: https://auth0.com/docs/secure/sender-constraining/mtls-sender-constraining</li>
 * <li>M6 Configure Sender Constraining: https://auth0.com/docs/secure/sender-constraining/configure-sender-constraining</li>
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

    /** M2: a client authenticated by its CA-signed certificate (RFC 8705 section 2.1), instead of a secret. */
    public static final String TLS_CLIENT_AUTH = "tls_client_auth";
    /** M2's credential of such a client, {@code credential_type} {@code cert_subject_dn}: its {@code subject_dn}. */
    private static final String SUBJECT_DN = "client_authentication_methods.tls_client_auth.credentials.subject_dn";
    /** The application's token binding: certificate-bound access tokens when it asks over mutual TLS. */
    private static final String TOKEN_BINDING = "access_token.tls_client_certificate_binding";
    /** M4: the headers in which the customer edge forwards a request's client certificate to the tenant. */
    public static final String CNAME_API_KEY = "cname-api-key";
    public static final String CLIENT_CERTIFICATE = "client-certificate";
    public static final String CLIENT_CERTIFICATE_CA_VERIFIED = "client-certificate-ca-verified";

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
    /**
     * M1: the custom domain's {@code cname_api_key}, which the customer edge sends with every request it forwards
     * ("This key must be kept secret and is used to validate the forwarded requests").
     */
    private final String cnameApiKey = randomId(32);

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

    // ---- mutual TLS ----

    /**
     * M1 "Enable mTLS endpoint aliases" (Tenant Settings > Advanced > Allow mTLS Endpoint Aliases; Management API
     * {@code PATCH /api/v2/tenants/settings} with {@code {"mtls":{"enable_endpoint_aliases":true}}}), on a tenant
     * whose custom domain ({@code type} {@code self_managed_certs}, M1) {@link #base()} then stands for. The aliases'
     * host, {@code mtls.<custom domain>} (M1), is the customer's edge (M3, M4): here an HTTPS listener on another
     * 127.0.0.1 port that needs a client certificate chaining to the test CA in every handshake (M4: "All requests
     * that arrive at the mTLS subdomain should request a client TLS certificate and verify that the certificate is
     * registered for use") and forwards the request to the tenant with that certificate ({@link #edgeHeaders}).
     * The tenant's own host never asks for a certificate (M1: that is what the aliases are for). Returns the
     * aliases' base URL, {@link #mtlsBase()}.
     */
    public String enableMtlsEndpointAliases() {
        return startMutualTls(TestCertificates.serverContext(), this::edgeHeaders);
    }

    /** {@code https://mtls.<custom domain>}: the mTLS endpoint aliases' host, or null when they are off. */
    public String mtlsBase() {
        return mutualTlsBase();
    }

    /** The token endpoint's mTLS alias (M3's {@code mtls_endpoint_aliases.token_endpoint}). */
    public String mtlsTokenEndpoint() {
        return mtlsBase() + "/oauth/token";
    }

    /**
     * M2 "Certificate authority signed certificates", a new client "with the subject DN": a Machine to Machine
     * application ({@code app_type} {@code non_interactive}) with {@code client_authentication_methods}
     * {@code {"tls_client_auth":{"credentials":[{"credential_type":"cert_subject_dn","subject_dn":...}]}}} and no
     * {@code token_endpoint_auth_method}, so no secret: "the client can only be authenticated using mTLS".
     * {@code subjectDn} is in M2's form, one RDN a line from the first of the certificate's subject
     * ({@code "C=XX\nST=StateName\n...\nCN=CommonNameOrHostname"}). With {@code tokenBinding}, the application's
     * {@code access_token.tls_client_certificate_binding} is {@code true}: its tokens are bound to the certificate it
     * presents (M5). (M6 now describes sender constraining as the application's {@code require_proof_of_possession}
     * and the API's {@code proof_of_possession} {@code {"mechanism":"mtls","required":true}}; the client-side
     * setting imitated here is the one Auth0's Highly Regulated Identity client configurations set [OBS].)
     */
    public Client addMtlsApplication(String clientId, String subjectDn, boolean tokenBinding) {
        return addClient(new Client(clientId, null, null, Set.of(),
                Map.of(SUBJECT_DN, subjectDn, TOKEN_BINDING, tokenBinding)));
    }

    /**
     * M4 "Forward the request": {@code cname-api-key}, the custom domain's key; {@code client-certificate}, the
     * client's certificate "converted to a URL component encoded PEM" ("only the first certificate in the chain");
     * {@code client-certificate-ca-verified}, {@code SUCCESS} ("the client certificate is valid and has been verified
     * by a certificate authority": the handshake did that).
     */
    private Map<String, String> edgeHeaders(X509Certificate certificate) {
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(encoded(certificate))
                + "\n-----END CERTIFICATE-----\n";
        return Map.of(CNAME_API_KEY, cnameApiKey,
                CLIENT_CERTIFICATE, URLEncoder.encode(pem, StandardCharsets.UTF_8).replace("+", "%20"),
                CLIENT_CERTIFICATE_CA_VERIFIED, "SUCCESS");
    }

    /**
     * The client certificate the customer edge forwarded with a request, or null. Believed only with the custom
     * domain's {@code cname-api-key} (M1): a client that sends M4's headers itself, to the tenant's own host, is no
     * edge.
     */
    private X509Certificate forwardedCertificate(Request request) {
        String pem = request.header(CLIENT_CERTIFICATE);
        if (pem == null || !cnameApiKey.equals(request.header(CNAME_API_KEY))) {
            return null;
        }
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(URLDecoder.decode(pem, StandardCharsets.UTF_8)
                            .getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    /**
     * A certificate's subject DN in M2's form: its RDNs one a line, in the certificate's order (the first is the
     * country in M2's example, the last the CN). M2 warns that "Subject DN extraction may differ between different
     * ecosystems"; how Auth0 renders multi-valued RDNs or escapes is UNCONFIRMED (RFC 2253's rendering of each RDN
     * here).
     */
    static String subjectDn(X509Certificate certificate) {
        try {
            List<String> rdns = new ArrayList<>();
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName(X500Principal.RFC2253))
                    .getRdns()) { // LdapName lists the RDNs in the certificate's order, RFC 2253's string reverses it
                rdns.add(rdn.toString());
            }
            return String.join("\n", rdns);
        } catch (InvalidNameException e) {
            return null;
        }
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
     * <p>
     * With the mTLS endpoint aliases on (M3, "Call the authorization server"): {@code tls_client_auth} among
     * {@code token_endpoint_auth_methods_supported}, {@code tls_client_certificate_bound_access_tokens} {@code true},
     * and {@code mtls_endpoint_aliases} with the endpoints the customer edge forwards (M4: {@code /oauth/token},
     * {@code /oauth/par}, {@code /userinfo}; this document has no PAR endpoint). Where these members sit in the
     * document, and which endpoints Auth0 lists among the aliases (M3's example lists only {@code token_endpoint}), is
     * UNCONFIRMED: here at its end, the token and userinfo endpoints.
     */
    private String discovery() {
        String b = base();
        String mtls = mtlsBase();
        List<String> authMethods = new ArrayList<>(List.of("client_secret_basic", "client_secret_post",
                "private_key_jwt", "none"));
        if (mtls != null) {
            authMethods.add(TLS_CLIENT_AUTH);
        }
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
                "token_endpoint_auth_methods_supported", authMethods,
                "token_endpoint_auth_signing_alg_values_supported", List.of("RS256", "RS384", "PS256"),
                "claims_supported", List.of("aud", "auth_time", "created_at", "email", "email_verified", "exp",
                        "family_name", "given_name", "iat", "identities", "iss", "name", "nickname", "phone_number",
                        "picture", "sub"),
                "grant_types_supported", List.of("client_credentials", "authorization_code", "refresh_token",
                        "password", "implicit"),
                "request_uri_parameter_supported", false,
                "request_parameter_supported", false,
                "id_token_signing_alg_values_supported", List.of("HS256", "RS256", "PS256"),
                "tls_client_certificate_bound_access_tokens", mtls == null ? null : true,
                "mtls_endpoint_aliases", mtls == null ? null
                        : ordered("token_endpoint", mtls + "/oauth/token", "userinfo_endpoint", mtls + "/userinfo")));
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
        X509Certificate certificate = forwardedCertificate(request);
        Client client;
        String used;
        if (sendsOnlyItsId(request)) {
            client = certificateClient(request, certificate);
            used = TLS_CLIENT_AUTH;
        } else {
            Authenticated who = authenticate(request, tokenEndpoint(),
                    reason -> error(401, "access_denied", "Unauthorized"));
            client = who.client();
            used = who.method() == ClientAuth.CLIENT_SECRET_BASIC ? CLIENT_SECRET_BASIC
                    : who.method() == ClientAuth.CLIENT_SECRET_POST ? CLIENT_SECRET_POST : "private_key_jwt";
        }
        // M2: an application set up for mTLS has no token_endpoint_auth_method, and "a Client Secret will no longer
        // be accepted"; one with a secret is not authenticated by a certificate either.
        String expected = client.extra().containsKey(SUBJECT_DN) ? TLS_CLIENT_AUTH
                : (String) client.extra().get(AUTH_METHOD);
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
        List<String> scopes = grants.get(client.id() + " " + audience);
        if (scopes == null) {
            // HTTP 403, body as reported in https://github.com/auth0/ruby-auth0/issues/610 (2024).
            throw error(403, "access_denied", "Client is not authorized to access \"" + audience + "\". You need to"
                    + " create a \"client-grant\" associated to this API. See:"
                    + " https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants");
        }
        // M5 step 3: with token binding, a request over mutual TLS gets a token bound to its certificate. Over the
        // tenant's own host there is none to bind to: RFC 8705 section 3.4 leaves refusing or issuing an unbound token
        // to the server, and which Auth0 does for this setting is UNCONFIRMED (an unbound token here).
        String thumbprint = Boolean.TRUE.equals(client.extra().get(TOKEN_BINDING)) && certificate != null
                ? base64Url(sha256(encoded(certificate)))
                : null;
        String token = mint(client.id(), audience, dialect, scopes, thumbprint);
        issued.add(token);
        // A2, A3: {"access_token":"eyJz93a...k4laUWw","token_type":"Bearer","expires_in":86400}. M5 step 3.4: a
        // certificate-bound token's token_type is DPoP ("This differs from traditional Bearer tokens and signals that
        // the token is bound to a specific key"); RFC 8705 section 3 keeps Bearer, and the caller sends it so.
        return new Answer(200, JsonUtil.toJson(ordered("access_token", token,
                "token_type", thumbprint == null ? "Bearer" : "DPoP", "expires_in", TOKEN_LIFETIME)),
                Map.of("Cache-Control", "no-store", "Pragma", "no-cache"));
    }

    /**
     * RFC 8705 section 2: a client that authenticates with its certificate sends its {@code client_id} and no other
     * credential.
     */
    private static boolean sendsOnlyItsId(Request request) {
        return request.form().containsKey("client_id") && !request.form().containsKey("client_secret")
                && !request.form().containsKey("client_assertion") && request.header("Authorization") == null;
    }

    /**
     * {@code tls_client_auth} (RFC 8705 section 2.1) as M2 and M4 describe it for CA-signed certificates: the
     * application named by {@code client_id} has a {@code cert_subject_dn} credential, the customer edge verified the
     * certificate's chain ({@code client-certificate-ca-verified: SUCCESS}), and the certificate's subject DN is the
     * registered one. Without a certificate (the tenant's own host: no mutual TLS there) or with another subject, the
     * refusal of a wrong secret (UNCONFIRMED for mTLS, as it is there).
     */
    private Client certificateClient(Request request, X509Certificate certificate) {
        Client client = clients.get(request.form().get("client_id"));
        if (client == null || certificate == null || !client.extra().containsKey(SUBJECT_DN)
                || !"SUCCESS".equals(request.header(CLIENT_CERTIFICATE_CA_VERIFIED))
                || !client.extra().get(SUBJECT_DN).equals(subjectDn(certificate))) {
            throw error(401, "access_denied", "Unauthorized");
        }
        return client;
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
     * <li>A certificate-bound token (M5 step 3): {@code cnf} {@code {"x5t#S256": <base64url SHA-256 of the
     * certificate's DER>}} (RFC 8705 section 3.1), the {@code thumbprint} given; its place among the claims is
     * UNCONFIRMED (here the last).</li>
     * </ul>
     */
    private String mint(String clientId, String audience, Dialect dialect, List<String> scopes, String thumbprint) {
        long now = now();
        String scope = scopes.isEmpty() ? null : String.join(" ", scopes); // an empty grant: no scope (UNCONFIRMED)
        List<String> permissions = dialect.permissions ? List.copyOf(scopes) : null;
        Map<String, Object> cnf = thumbprint == null ? null : Map.of("x5t#S256", thumbprint);
        Map<String, Object> header = ordered("alg", "RS256", "typ", dialect.rfc9068 ? "at+jwt" : "JWT",
                "kid", currentKey().kid());
        Map<String, Object> claims = dialect.rfc9068
                ? ordered("iss", issuer(), "sub", clientId + "@clients", "aud", audience, "client_id", clientId,
                        "exp", now + TOKEN_LIFETIME, "iat", now, "jti", randomId(22), "scope", scope,
                        "permissions", permissions, "cnf", cnf)
                : ordered("iss", issuer(), "sub", clientId + "@clients", "aud", audience, "iat", now,
                        "exp", now + TOKEN_LIFETIME, "scope", scope, "permissions", permissions,
                        "gty", "client-credentials", "azp", clientId, "cnf", cnf);
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

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
