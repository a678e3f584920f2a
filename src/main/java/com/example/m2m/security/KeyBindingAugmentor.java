package com.example.m2m.security;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.example.m2m.security.dpop.KeyBinding;
import com.example.m2m.security.mtls.CertificateBinding;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Records the key a verified token is bound to ({@code cnf.jkt}, RFC 9449 section 6.1), or the client certificate
 * ({@code cnf.x5t#S256}, RFC 8705 section 3.1), on its identity, once per
 * verification: the mechanism compares it with the request's DPoP proof on every request, including the ones answered
 * from the verified-token cache, and reading a non-standard claim through {@code JsonWebToken} per request is slow
 * (see {@link CallerClaims}).
 */
@ApplicationScoped
public class KeyBindingAugmentor implements SecurityIdentityAugmentor {

    /** The identity attribute holding the token's {@code cnf.jkt}; absent for a token bound to nothing. */
    public static final String BOUND_KEY = KeyBindingAugmentor.class.getName() + ".jkt";

    /** The identity attribute holding the token's {@code cnf.x5t#S256} (RFC 8705); absent when bound to no certificate. */
    public static final String BOUND_CERTIFICATE = KeyBindingAugmentor.class.getName() + ".x5t#S256";

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        Function<String, Object> claims = CallerClaims.claims(identity);
        if (claims == null) {
            return Uni.createFrom().item(identity);
        }
        // A JWT's cnf claim, or an introspection answer's (RFC 9449 section 6.2 has it there too).
        Object cnf = claims.apply("cnf");
        String boundKey = KeyBinding.boundKeyOf(cnf);
        String boundCertificate = CertificateBinding.boundCertificateOf(cnf);
        if (boundKey == null && boundCertificate == null) {
            return Uni.createFrom().item(identity);
        }
        QuarkusSecurityIdentity.Builder bound = QuarkusSecurityIdentity.builder(identity);
        if (boundKey != null) {
            bound.addAttribute(BOUND_KEY, boundKey);
        }
        if (boundCertificate != null) {
            bound.addAttribute(BOUND_CERTIFICATE, boundCertificate);
        }
        return Uni.createFrom().item(bound.build());
    }
}
