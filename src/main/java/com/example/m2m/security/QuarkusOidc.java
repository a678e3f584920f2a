package com.example.m2m.security;

import org.jose4j.jwt.JwtClaims;

import io.quarkus.arc.Arc;
import io.quarkus.oidc.OidcConfigurationMetadata;
import io.quarkus.oidc.TokenIntrospection;
import io.quarkus.oidc.common.OidcRequestContextProperties;
import io.quarkus.oidc.common.runtime.OidcCommonUtils;
import io.quarkus.oidc.runtime.OidcJwtCallerPrincipal;
import io.quarkus.oidc.runtime.OidcUtils;
import io.quarkus.oidc.runtime.TenantConfigBean;
import io.quarkus.oidc.runtime.TenantConfigContext;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;

/**
 * Every use this service makes of Quarkus OIDC's internals (its {@code runtime} packages, which may change in any
 * release), in one place, so that a Quarkus upgrade is checked here and not across the code. Each assumption has a
 * test: {@code QuarkusOidcTest} (the names and the tenant lookup against the running Quarkus), {@code IntrospectionTest}
 * and {@code RevocationIT} (introspection and its "not active" answer), {@code SeveralIssuersTest} and the readiness
 * tests (the tenants' discovery documents). The cache's dependence on Quarkus' verification options is guarded
 * separately ({@code VerifiedTokenCacheOptionsTest}).
 * <p>
 * Why internals at all: Quarkus offers no public API for an OIDC tenant's discovery document and readiness (the
 * built-in health check uses the same bean), for introspecting a token outside an authentication, or for the names
 * it gives the default tenant and the identity attributes it sets.
 */
public final class QuarkusOidc {

    /** The id Quarkus gives the default tenant (the first {@code ISSUER}). */
    public static final String DEFAULT_TENANT = OidcUtils.DEFAULT_TENANT_ID;

    /** The identity attribute (and OIDC request property) that names the tenant that verified a token. */
    public static final String TENANT_ATTRIBUTE = OidcUtils.TENANT_ID_ATTRIBUTE;

    /** The identity attribute that holds the introspection answer of a token Quarkus introspected. */
    public static final String INTROSPECTION_ATTRIBUTE = OidcUtils.INTROSPECTION_ATTRIBUTE;

    /**
     * The OIDC request property in which Quarkus' OIDC client names itself ({@code Default}, or the named client's id):
     * a literal in {@code OidcClientImpl}, no constant to import. {@code CallerTokenLifetimeTest} (the caller's token
     * responses counted under it) and the registrar's tests (its token requests carry no DPoP proof) depend on it.
     */
    public static final String CLIENT_PROPERTY = "client-id";

    /**
     * The end of Quarkus' message for an introspection answer {@code "active": false} ({@code OidcProvider}, an
     * {@code AuthenticationFailedException} without a cause, "Token issued to client %s is not active"): the only
     * signal it gives.
     */
    static final String NOT_ACTIVE_MESSAGE = "is not active";

    private QuarkusOidc() {
    }

    /** One OIDC tenant as this service uses it: whether it can verify, its discovery document, introspection. */
    public record Tenant(TenantConfigContext context) {

        /** Whether the tenant has what it needs to verify tokens (its discovery document and keys were read). */
        public boolean ready() {
            return context.ready();
        }

        /** Tries to make a tenant that is not ready ready (Quarkus retries discovery). */
        public Uni<Tenant> initialize() {
            return context.initialize().map(Tenant::new);
        }

        /** The discovery document, or null while it was never read. */
        public OidcConfigurationMetadata metadata() {
            return context.getOidcMetadata();
        }

        /** The issuer URL the tenant was configured with. */
        public String authServerUrl() {
            return context.oidcConfig().authServerUrl().orElse("");
        }

        /** Asks the tenant's issuer about a token (RFC 7662), with Quarkus' introspection client and its checks. */
        public Uni<TokenIntrospection> introspect(String token) {
            if (!context.ready() || context.provider() == null) {
                return Uni.createFrom().failure(new IllegalStateException("the tenant is not ready"));
            }
            return context.provider().introspectToken(token, false, null, false);
        }
    }

    /** A tenant by id (the default one is kept apart from the others in Quarkus), or null when there is none. */
    public static Tenant tenant(TenantConfigBean bean, String tenantId) {
        TenantConfigContext context = DEFAULT_TENANT.equals(tenantId) ? bean.getDefaultTenant()
                : bean.getStaticTenant(tenantId);
        return context == null ? null : new Tenant(context);
    }

    /**
     * A tenant by id, looked up rather than injected (for beans that take part in creating the tenants), or null while
     * Quarkus has none yet.
     */
    public static Tenant tenant(String tenantId) {
        try {
            return tenant(Arc.container().instance(TenantConfigBean.class).get(), tenantId);
        } catch (RuntimeException notReady) {
            return null;
        }
    }

    /**
     * The tenant an OIDC call (a key set fetch, an introspection) was made for: Quarkus puts the tenant's id in the
     * request properties of every call it makes to an issuer; none means the default tenant.
     */
    public static String tenantOf(OidcRequestContextProperties call) {
        Object tenant = call == null ? null : call.get(TENANT_ATTRIBUTE);
        return tenant == null ? DEFAULT_TENANT : tenant.toString();
    }

    /**
     * The verified claims of a JWT identity as jose4j parsed them (Quarkus' {@code OidcJwtCallerPrincipal}), or null
     * for any other principal. Read through this, not {@code JsonWebToken.getClaim}: smallrye-jwt's getter looks each
     * name up in the MP JWT {@code Claims} enum and throws and catches an exception for every other name
     * ({@code client_id}, {@code cid}, {@code appid}), stack trace and all, on every first-sight token.
     */
    public static JwtClaims jwtClaims(java.security.Principal principal) {
        return principal instanceof OidcJwtCallerPrincipal jwt ? jwt.getClaims() : null;
    }

    /** Whether Quarkus takes a token for opaque (its middle part is not JSON), as its own routing does. */
    public static boolean looksOpaque(String token) {
        return OidcCommonUtils.decodeJwtContent(token) == null;
    }

    /** Whether a failed introspection is Quarkus saying that the issuer answered {@code "active": false}. */
    public static boolean saysNotActive(Throwable failure) {
        return failure instanceof AuthenticationFailedException && failure.getCause() == null
                && failure.getMessage() != null && failure.getMessage().endsWith(NOT_ACTIVE_MESSAGE);
    }
}
