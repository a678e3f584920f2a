package com.example.m2m.security;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.example.m2m.security.dpop.KeyBinding;

import io.quarkus.security.identity.AuthenticationRequestContext;
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
        Function<String, Object> claims = CallerClaims.claims(identity);
        if (claims == null) {
            return Uni.createFrom().item(identity);
        }
        // A JWT's cnf claim, or an introspection answer's (RFC 9449 section 6.2 has it there too).
        String boundKey = KeyBinding.boundKeyOf(claims.apply("cnf"));
        return Uni.createFrom().item(boundKey == null ? identity
                : QuarkusSecurityIdentity.builder(identity).addAttribute(BOUND_KEY, boundKey).build());
    }
}
