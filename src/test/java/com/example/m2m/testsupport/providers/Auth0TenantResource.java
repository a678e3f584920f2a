package com.example.m2m.testsupport.providers;

import java.util.LinkedHashMap;
import java.util.Map;

import com.example.m2m.testsupport.TestCertificates;
import com.example.m2m.testsupport.providers.Auth0Tenant.Dialect;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts an {@link Auth0Tenant} for a test class, set up as the README's Auth0 rows describe (an API, a Machine to
 * Machine application authorized for it with {@code read:messages}), and gives the service and its caller exactly
 * the settings of the row named by the {@code row} init argument:
 * <ul>
 * <li>{@code auth0}: {@code ISSUER=https://<tenant>.auth0.com/}, {@code AUDIENCE=<API identifier>}; caller
 * {@code TEST_CLIENT_ID}, {@code TEST_CLIENT_SECRET}, {@code TEST_CLIENT_AUDIENCE=<API identifier>} (the API in the
 * Auth0 profile);</li>
 * <li>{@code auth0-rbac}: the same settings, the API with RBAC and "Add Permissions in the Access Token" on;</li>
 * <li>{@code auth0-rfc9068}: the same plus {@code REQUIRE_RFC9068=true}, the API in the RFC 9068 profile;</li>
 * <li>{@code auth0-caller-without-audience}: the {@code auth0} row without {@code TEST_CLIENT_AUDIENCE}.</li>
 * <li>{@code auth0-mtls}: the tenant with its mTLS endpoint aliases on, and the caller an application authenticated
 * by its certificate ({@code tls_client_auth}, the subject DN of {@code client}) with token binding: caller
 * {@code TEST_CLIENT_ID}, {@code TEST_CLIENT_CERT_FILE}, {@code TEST_CLIENT_CERT_KEY_FILE}, {@code TRUSTED_CA_FILE},
 * {@code TEST_CLIENT_AUDIENCE}, no secret and no {@code TEST_CLIENT_TOKEN_ENDPOINT}; the API on HTTPS as well
 * ({@code TLS_CERT_FILE}, {@code TLS_KEY_FILE}, {@code TLS_CLIENT_CA_FILE}), where the caller calls it with its
 * certificate;</li>
 * <li>{@code auth0-mtls-unknown-certificate}: the same, the caller presenting {@code other-client}'s certificate,
 * which the tenant's application was not registered with.</li>
 * </ul>
 * The tenant also has a second API ({@link #OTHER_API}) the caller is authorized for, and an application authorized
 * for no API ({@link #UNGRANTED_ID}). Injected into a test's field of type {@link Auth0Tenant}.
 */
public class Auth0TenantResource implements QuarkusTestResourceLifecycleManager {

    /** The API's identifier: its {@code audience}. */
    public static final String API = "https://api.example.com/messages";
    /** Another API of the tenant. */
    public static final String OTHER_API = "https://api.example.com/billing";
    /** Auth0 client ids are 32 alphanumerics; secrets 64 characters (Dashboard > Applications). */
    public static final String CALLER_ID = "kq2Xb7RmT4vN9cLwH3sJ8pYdF6gA1eZu";
    public static final String CALLER_SECRET = "d8Fq3-Lm_Zx7Rt2Vb9Nc4Hy6Kw1Pj5Sg0Ae8Ui3Oo7Tr2Ey6Wq9Lk4Mn1Bv5Cx0Za";
    public static final String UNGRANTED_ID = "Pz8Lr3Wn6Tq1Yc4Vm9Kb2Hx7Jd5Fs0Ga";
    public static final String UNGRANTED_SECRET = "Qw2Er4Ty6Ui8Op0As1Df3Gh5Jk7Lz9Xc-Vb_Nm2Qa4Ws6Ed8Rf0Tg1Yh3Uj5Ik7Ol";
    /** The mTLS rows' caller: an application with a certificate credential and no secret. */
    public static final String MTLS_CALLER_ID = "Tm4Ls8Qx2Wc6Vb1Nz5Hk9Jd3Gf7Ry0Pe";
    /** The subject DN it is registered with: that of {@code client} ({@code src/test/tls/certs.sh}). */
    public static final String MTLS_CALLER_DN = "CN=m2m-mtls-client";

    private Auth0Tenant tenant;
    private String row = "auth0";

    @Override
    public void init(Map<String, String> initArgs) {
        row = initArgs.getOrDefault("row", row);
    }

    @Override
    public Map<String, String> start() {
        tenant = new Auth0Tenant();
        tenant.addApi(API, switch (row) {
            case "auth0-rbac" -> Dialect.ACCESS_TOKEN_AUTHZ;
            case "auth0-rfc9068" -> Dialect.RFC9068_PROFILE;
            default -> Dialect.ACCESS_TOKEN;
        });
        tenant.addApi(OTHER_API, Dialect.ACCESS_TOKEN);
        // A new application's Credentials tab says "Client Secret (Post)": the README's row sends it so
        // (TEST_CLIENT_SECRET_METHOD=post); the imitation holds each application to its method.
        tenant.addApplication(CALLER_ID, CALLER_SECRET, Auth0Tenant.CLIENT_SECRET_POST);
        tenant.grant(CALLER_ID, API, "read:messages");
        tenant.grant(CALLER_ID, OTHER_API, "read:messages");
        tenant.addApplication(UNGRANTED_ID, UNGRANTED_SECRET, Auth0Tenant.CLIENT_SECRET_BASIC);

        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("ISSUER", tenant.issuer());
        settings.put("AUDIENCE", API);
        if (row.startsWith("auth0-mtls")) {
            settings.putAll(mtls(row.equals("auth0-mtls") ? TestCertificates.CALLER : TestCertificates.THIEF));
            return settings;
        }
        settings.put("TEST_CLIENT_ID", CALLER_ID);
        settings.put("TEST_CLIENT_SECRET", CALLER_SECRET);
        settings.put("TEST_CLIENT_SECRET_METHOD", "post");
        if (!row.equals("auth0-caller-without-audience")) {
            settings.put("TEST_CLIENT_AUDIENCE", API);
        }
        if (row.equals("auth0-rfc9068")) {
            settings.put("REQUIRE_RFC9068", "true");
        }
        // The caller runs in the test's process (as CallerTokenLifetimeTest's does).
        settings.put("quarkus.oidc-client.client-enabled", "true");
        return settings;
    }

    /** The mTLS rows: the tenant's aliases and application, the caller presenting {@code certificate}. */
    private Map<String, String> mtls(String certificate) {
        tenant.enableMtlsEndpointAliases();
        tenant.addMtlsApplication(MTLS_CALLER_ID, MTLS_CALLER_DN, true);
        tenant.grant(MTLS_CALLER_ID, API, "read:messages");

        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("TEST_CLIENT_ID", MTLS_CALLER_ID);
        settings.put("TEST_CLIENT_CERT_FILE", TestCertificates.file(certificate));
        settings.put("TEST_CLIENT_CERT_KEY_FILE", TestCertificates.file(certificate + "-key"));
        settings.put("TRUSTED_CA_FILE", TestCertificates.file("ca")); // the CA of the alias host's certificate
        settings.put("TEST_CLIENT_AUDIENCE", API);
        // The API on HTTPS too, asking for client certificates: a bound token is served only with its certificate.
        settings.put("TLS_CERT_FILE", TestCertificates.file("server"));
        settings.put("TLS_KEY_FILE", TestCertificates.file("server-key"));
        settings.put("TLS_CLIENT_CA_FILE", TestCertificates.file("ca"));
        // The caller's API_URL (the %test one too: application.properties names the test port's under the profile).
        String https = "https://127.0.0.1:${quarkus.http.test-ssl-port:8444}";
        settings.put("quarkus.rest-client.messages-api.url", https);
        settings.put("%test.quarkus.rest-client.messages-api.url", https);
        settings.put("quarkus.oidc-client.client-enabled", "true");
        return settings;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(tenant, new TestInjector.MatchesType(Auth0Tenant.class));
    }

    @Override
    public void stop() {
        if (tenant != null) {
            tenant.close();
        }
    }
}
