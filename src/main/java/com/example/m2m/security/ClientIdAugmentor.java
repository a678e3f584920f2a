package com.example.m2m.security;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.oidc.TokenIntrospection;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Records the caller's client id on each verified identity ({@link CallerClaims#CLIENT_ID_ATTRIBUTE}), once per
 * verification: metrics, the audit trail and {@code /api/whoami} read it there on every request, including the ones
 * answered from the verified-token cache.
 */
@ApplicationScoped
public class ClientIdAugmentor implements SecurityIdentityAugmentor {

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        String clientId;
        if (identity.getPrincipal() instanceof JsonWebToken token) {
            clientId = CallerClaims.clientId(token);
        } else if (identity.getAttribute(CallerClaims.INTROSPECTION_ATTRIBUTE) instanceof TokenIntrospection answer) {
            clientId = CallerClaims.clientId(answer);
        } else {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().item(clientId == null ? identity
                : QuarkusSecurityIdentity.builder(identity).addAttribute(CallerClaims.CLIENT_ID_ATTRIBUTE, clientId)
                        .build());
    }
}
