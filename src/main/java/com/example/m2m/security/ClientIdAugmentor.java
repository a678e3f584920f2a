package com.example.m2m.security;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Records the caller's client id on each verified identity ({@link CallerClaims#CLIENT_ID_ATTRIBUTE}), from its JWT
 * or its introspection answer, once per verification: metrics, the audit trail and {@code /api/whoami} read it there
 * on every request, including the ones answered from the verified-token cache.
 */
@ApplicationScoped
public class ClientIdAugmentor implements SecurityIdentityAugmentor {

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        Function<String, Object> claims = CallerClaims.claims(identity);
        if (claims == null) {
            return Uni.createFrom().item(identity);
        }
        String clientId = CallerClaims.clientId(claims);
        return Uni.createFrom().item(clientId == null ? identity
                : QuarkusSecurityIdentity.builder(identity).addAttribute(CallerClaims.CLIENT_ID_ATTRIBUTE, clientId)
                        .build());
    }
}
