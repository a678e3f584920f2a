package com.example.m2m.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.oidc.TenantResolver;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * With several issuers ({@link IssuerTenants}), sends a token to the tenant of the listed issuer its {@code iss}
 * names, read from the token before it is verified: the choice of keys, not a trust decision. The tenant then checks
 * the signature with that issuer's keys only and {@code iss} again, so a token that names one issuer and is signed
 * by another's key is refused. A token that names no listed issuer, or cannot be read, goes to the default tenant
 * (refused there as from the wrong issuer): nothing in a token makes the service contact a server it was not given.
 * <p>
 * Not Quarkus' {@code quarkus.oidc.resolve-tenants-with-issuer}: that one matches a tenant's issuer only once the
 * tenant has its discovery document, and gives a tenant whose issuer was down at start-up a single retry, after which
 * its tokens go to the default tenant for good. Here the listed URL decides, so an issuer that comes back later is
 * used again (its tenant is initialised on its next token, as the default tenant is).
 * <p>
 * Only runs when a token is verified: the verified-token cache answers before tenant resolution, which is safe because
 * the tenant is a function of the token itself, and each entry is tied to the key set of the tenant that verified it.
 */
@ApplicationScoped
public class IssuerTenantResolver implements TenantResolver {

    /** The routing context key under which the resolved issuer is kept for the request's metrics and audit. */
    public static final String CLAIMED_ISSUER = IssuerTenantResolver.class.getName() + ".issuer";

    @Inject
    IssuerTenants tenants;

    @Override
    public String resolve(RoutingContext context) {
        if (!tenants.several()) {
            return null;
        }
        String token = BearerHeader.read(context.request()).token();
        IssuerTenants.Issuer issuer = tenants.named(claimedIssuer(token));
        if (issuer == null) {
            return QuarkusOidc.DEFAULT_TENANT;
        }
        context.put(CLAIMED_ISSUER, issuer);
        return issuer.tenantId();
    }

    /** The {@code iss} a JWS compact token claims (unverified), or null when it has none or cannot be read. */
    static String claimedIssuer(String token) {
        if (token == null) {
            return null;
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (second < 0 || token.indexOf('.', second + 1) >= 0) {
            return null; // not three parts: opaque, or an encrypted token
        }
        try {
            byte[] payload = Base64.getUrlDecoder().decode(token.substring(first + 1, second));
            Object iss = new JsonObject(new String(payload, StandardCharsets.UTF_8)).getValue("iss");
            return iss instanceof String text ? text : null;
        } catch (RuntimeException unreadable) {
            return null;
        }
    }
}
