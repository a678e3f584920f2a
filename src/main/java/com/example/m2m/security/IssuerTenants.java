package com.example.m2m.security;

import static com.example.m2m.security.QuarkusOidc.DEFAULT_TENANT;
import static com.example.m2m.security.QuarkusOidc.TENANT_ATTRIBUTE;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.example.m2m.config.IssuerList;

import io.quarkus.arc.Arc;
import io.quarkus.oidc.Oidc;
import io.quarkus.oidc.OidcConfigurationMetadata;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.OidcTenantConfigBuilder;
import io.quarkus.oidc.common.runtime.config.OidcClientCommonConfig.Credentials.Secret;
import io.quarkus.oidc.runtime.OidcConfig;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The issuers this service trusts ({@code ISSUER}, one URL or several separated by commas), each an OIDC tenant of
 * its own: the first is Quarkus' default tenant ({@code quarkus.oidc.*}, which takes the first URL), each other one a
 * tenant created here at start-up ({@link Oidc#create}) as a copy of the default tenant's configuration with its own
 * URL, so its own discovery document, JWKS and issuer check. {@link IssuerTenantResolver} sends each token to the
 * tenant of the issuer it names; a token naming no listed issuer goes to the default tenant, which refuses it (wrong
 * issuer): an issuer that is not listed is never contacted.
 * <p>
 * With {@code INTROSPECTION_CLIENT_ID}, every tenant introspects opaque tokens (RFC 7662) with that client, and with
 * {@code INTROSPECT_JWT=true} JWTs too: each issuer's own introspection endpoint, the same client at each.
 * <p>
 * Also the one place that turns a verified identity into its issuer's label for metrics and audit events: one of the
 * listed URLs, so the label's values are bounded by the list.
 */
@ApplicationScoped
public class IssuerTenants {

    /** The label of a request whose issuer is not known (no token, or a token no listed issuer verified). */
    public static final String UNKNOWN = "unknown";

    /** One trusted issuer: its tenant and the URL as listed. */
    public record Issuer(String tenantId, String url) {
    }

    private final List<Issuer> issuers;
    private final Map<String, Issuer> byTenant = new HashMap<>();
    /** By URL without a trailing slash: a token's {@code iss} is matched with or without one. */
    private final Map<String, Issuer> byUrl = new HashMap<>();
    private final OidcConfig oidc;
    /** By the issuer each listed URL's discovery document declares (without a trailing slash), once read. */
    private final Map<String, Issuer> byDeclaredIssuer = new java.util.concurrent.ConcurrentHashMap<>();
    /** Whether every tenant's declared issuer is in {@link #byDeclaredIssuer}: no more lookups after that. */
    private volatile boolean declaredIssuersComplete;

    private final Optional<String> introspectionClientId;
    private final Optional<String> introspectionClientSecret;
    private final boolean introspectJwt;

    @Inject
    public IssuerTenants(@ConfigProperty(name = "api.issuers") Optional<String> listed, OidcConfig oidc,
            @ConfigProperty(name = "api.introspection.client-id") Optional<String> introspectionClientId,
            @ConfigProperty(name = "api.introspection.client-secret") Optional<String> introspectionClientSecret,
            @ConfigProperty(name = "api.introspection.jwt", defaultValue = "false") boolean introspectJwt) {
        this.oidc = oidc;
        this.introspectionClientId = introspectionClientId.filter(id -> !id.isBlank());
        this.introspectionClientSecret = introspectionClientSecret;
        this.introspectJwt = introspectJwt;
        List<Issuer> all = new ArrayList<>();
        String defaultUrl = OidcConfig.getDefaultTenant(oidc).authServerUrl().orElse("");
        if (listed.isEmpty() || listed.get().isBlank()) {
            // Dev mode's built-in issuer, or a test that sets quarkus.oidc.auth-server-url itself: one tenant.
            all.add(new Issuer(DEFAULT_TENANT, defaultUrl));
        } else {
            List<String> urls = IssuerList.parse(listed.get());
            for (int i = 0; i < urls.size(); i++) {
                all.add(new Issuer(i == 0 ? DEFAULT_TENANT : "issuer-" + (i + 1), urls.get(i)));
            }
        }
        this.issuers = List.copyOf(all);
        for (Issuer issuer : issuers) {
            byTenant.put(issuer.tenantId(), issuer);
            byUrl.put(IssuerList.withoutTrailingSlash(issuer.url()), issuer);
        }
    }

    /**
     * Creates a tenant for every listed issuer after the first, with everything the default tenant is configured
     * with (audience, roles, refresh interval, TLS, proxy, ...) except its URL and id; and with
     * {@code INTROSPECTION_CLIENT_ID}, gives every tenant, the default one included, the introspection client.
     */
    void createTenants(@Observes Oidc tenants) {
        for (Issuer issuer : issuers) {
            if (!issuer.tenantId().equals(DEFAULT_TENANT) || introspectionClientId.isPresent()) {
                tenants.create(tenantConfig(issuer));
            }
        }
    }

    private OidcTenantConfig tenantConfig(Issuer issuer) {
        OidcTenantConfigBuilder builder = OidcTenantConfig.builder(OidcConfig.getDefaultTenant(oidc))
                .tenantId(issuer.tenantId());
        if (!issuer.url().isEmpty()) {
            builder.authServerUrl(issuer.url());
        }
        if (introspectionClientId.isPresent()) {
            String clientId = introspectionClientId.get();
            // RFC 6749 2.3.1 form-encodes the client id in the Basic scheme, which Quarkus does not: an id with a
            // colon (api://messages, say) goes in the form (client_secret_post) instead.
            builder.clientId(clientId)
                    .credentials().clientSecret(introspectionClientSecret.orElse(""),
                            clientId.contains(":") ? Secret.Method.POST : Secret.Method.BASIC).end()
                    .token().allowOpaqueTokenIntrospection(true).requireJwtIntrospectionOnly(introspectJwt).end()
                    .allowTokenIntrospectionCache(true);
        }
        return builder.build();
    }

    /** The trusted issuers, in the order listed; the first is the default tenant's. */
    public List<Issuer> all() {
        return issuers;
    }

    public boolean several() {
        return issuers.size() > 1;
    }

    /**
     * The listed issuer a token's {@code iss} names, or null when it names none: a listed URL, or the issuer a listed
     * URL's discovery document declares. The two differ where a provider's discovery URL is not its issuer: Entra ID's
     * v1.0 tokens say {@code https://sts.windows.net/<tenant>/}, declared by the document at
     * {@code https://login.microsoftonline.com/<tenant>} (the v1.0 endpoints), so listing both the v2.0 and the v1.0
     * URL takes tokens of both versions. An issuer whose document was never read is matched by its URL only.
     */
    public Issuer named(String iss) {
        if (iss == null) {
            return null;
        }
        String key = IssuerList.withoutTrailingSlash(iss);
        Issuer listed = byUrl.get(key);
        return listed != null ? listed : byDeclared(key);
    }

    /** The issuer (a listed one, or null) whose discovery document declares this issuer, learned once per tenant. */
    private Issuer byDeclared(String issuer) {
        Issuer known = byDeclaredIssuer.get(issuer);
        if (known != null || declaredIssuersComplete) {
            return known;
        }
        boolean complete = true;
        for (Issuer candidate : issuers) {
            OidcConfigurationMetadata metadata = discovered(candidate);
            if (metadata == null || metadata.getIssuer() == null) {
                complete = false; // not read yet: asked again for the next unknown iss
            } else {
                byDeclaredIssuer.putIfAbsent(IssuerList.withoutTrailingSlash(metadata.getIssuer()), candidate);
            }
        }
        declaredIssuersComplete = complete;
        return byDeclaredIssuer.get(issuer);
    }

    /** Whether the service has its own client at the issuers (INTROSPECTION_CLIENT_ID), to introspect tokens. */
    public boolean introspects() {
        return introspectionClientId.isPresent();
    }

    /**
     * Whether Quarkus sends this token to introspection rather than verifying it here: every token with
     * INTROSPECT_JWT, else one whose middle part is not JSON (its own test, {@code OidcUtils.isOpaqueToken}).
     */
    public boolean introspected(String token) {
        return introspectionClientId.isPresent()
                && (introspectJwt || QuarkusOidc.looksOpaque(token));
    }

    /** The issuer whose tenant verified this identity, as listed; {@link #UNKNOWN} for none. */
    public String label(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return UNKNOWN;
        }
        return urlOfTenant(tenantOf(identity));
    }

    /**
     * An issuer's discovery document as its tenant holds it, or null while it has not been reachable. (Looked up, not
     * injected: this bean takes part in creating the tenants.)
     */
    public OidcConfigurationMetadata discovered(Issuer issuer) {
        QuarkusOidc.Tenant tenant = QuarkusOidc.tenant(issuer.tenantId());
        return tenant == null ? null : tenant.metadata();
    }

    /**
     * Whether the issuer a token was sent to ({@code claimed}, or the default tenant's for null) can be used: its
     * discovery document was read. Not while it has never been reachable, or does not answer as an OIDC issuer.
     */
    public boolean usable(Issuer claimed) {
        Issuer issuer = claimed != null ? claimed : byTenant.get(DEFAULT_TENANT);
        return issuer == null || discovered(issuer) != null;
    }

    /** The issuer of a tenant as its discovery document names it (the listed URL while not known), or null. */
    public String issuerIdOfTenant(String tenantId) {
        Issuer issuer = byTenant.get(tenantId);
        return issuer == null ? null : issuerId(issuer);
    }

    /** The issuer as its discovery document names it, or its URL as listed while not known. */
    public String issuerId(Issuer issuer) {
        OidcConfigurationMetadata metadata = discovered(issuer);
        return metadata != null && metadata.getIssuer() != null ? metadata.getIssuer() : issuer.url();
    }

    /** A tenant's issuer URL as listed; {@link #UNKNOWN} for a tenant that is not one of the listed issuers'. */
    public String urlOfTenant(String tenantId) {
        Issuer issuer = byTenant.get(tenantId);
        return issuer == null ? UNKNOWN : issuer.url();
    }

    /** The tenant id of a verified identity (the default tenant's when Quarkus named none). */
    public static String tenantOf(SecurityIdentity identity) {
        Object tenant = identity.getAttribute(TENANT_ATTRIBUTE);
        return tenant == null ? DEFAULT_TENANT : tenant.toString();
    }
}
