package com.example.m2m.security;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.example.m2m.security.dpop.KeyBinding;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.oidc.TokenIntrospection;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Records the key a verified token is bound to ({@code cnf.jkt}, RFC 9449 section 6.1) on its identity, once per
 * verification: the mechanism compares it with the request's DPoP proof on every request, including the ones answered
 * from the verified-token cache, and reading a non-standard claim through {@code JsonWebToken} per request is slow
 * (see {@link CallerClaims}).
 */
@ApplicationScoped
public class KeyBindingAugmentor implements SecurityIdentityAugmentor {

    /** The identity attribute holding the token's {@code cnf.jkt}; absent for a token bound to nothing. */
    public static final String BOUND_KEY = KeyBindingAugmentor.class.getName() + ".jkt";

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        String boundKey;
        if (identity.getPrincipal() instanceof JsonWebToken token) {
            boundKey = KeyBinding.boundKey(token);
        } else if (identity.getAttribute(CallerClaims.INTROSPECTION_ATTRIBUTE) instanceof TokenIntrospection answer) {
            // RFC 9449 section 6.2: an introspection answer carries the binding as cnf.jkt too.
            boundKey = KeyBinding.boundKeyOf(answer.getJsonObject().get("cnf"));
        } else {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().item(boundKey == null ? identity
                : QuarkusSecurityIdentity.builder(identity).addAttribute(BOUND_KEY, boundKey).build());
    }
}
