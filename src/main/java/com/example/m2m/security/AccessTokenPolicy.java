package com.example.m2m.security;

import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.JoseException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;

/**
 * Checks on a verified access token that Quarkus has no setting for (and records the caller's client id on the
 * identity, see {@link CallerClaims#CLIENT_ID_ATTRIBUTE}):
 * <ul>
 * <li>{@code iat} must not lie in the future (beyond the clock-skew allowance): jose4j, as Quarkus configures it,
 * accepts any issue time.</li>
 * <li>With {@code REQUIRE_RFC9068=true}, the token must follow the JWT profile for access tokens (RFC 9068): the
 * {@code typ} header {@code at+jwt} and the claims {@code iss exp aud sub client_id iat jti}. Quarkus'
 * {@code quarkus.oidc.token.token-type} reads a {@code typ} claim, not the header, hence the few lines here.</li>
 * </ul>
 */
@ApplicationScoped
public class AccessTokenPolicy implements SecurityIdentityAugmentor {

    static final List<String> RFC9068_CLAIMS = List.of("iss", "exp", "aud", "sub", "client_id", "iat", "jti");

    /** Thrown inside an {@link AuthenticationFailedException}; its message is the caller-safe reason. */
    public static final class Violation extends RuntimeException {
        Violation(String message) {
            super(message, null, false, false);
        }
    }

    @Inject
    @ConfigProperty(name = "api.token.require-rfc9068", defaultValue = "false")
    boolean requireRfc9068;

    @Inject
    @ConfigProperty(name = "api.token.clock-skew-seconds", defaultValue = "60")
    long clockSkewSeconds;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        String violation = check(token);
        if (violation != null) {
            return Uni.createFrom().failure(new AuthenticationFailedException(new Violation(violation)));
        }
        String clientId = CallerClaims.clientId(token);
        return Uni.createFrom().item(clientId == null ? identity
                : QuarkusSecurityIdentity.builder(identity).addAttribute(CallerClaims.CLIENT_ID_ATTRIBUTE, clientId)
                        .build());
    }

    String check(JsonWebToken token) {
        long now = System.currentTimeMillis() / 1000;
        if (token.getIssuedAtTime() > now + clockSkewSeconds) {
            return "The token is not valid yet (issued in the future)";
        }
        if (requireRfc9068) {
            String type = headerType(token.getRawToken());
            if (type == null || !(type.equalsIgnoreCase("at+jwt") || type.equalsIgnoreCase("application/at+jwt"))) {
                return "The token is not an RFC 9068 access token (typ must be at+jwt)";
            }
            for (String claim : RFC9068_CLAIMS) {
                if (!token.containsClaim(claim)) {
                    return "The token lacks the claim " + claim + " that RFC 9068 requires";
                }
            }
        }
        return null;
    }

    private static String headerType(String rawToken) {
        try {
            // jose4j (Quarkus OIDC's JOSE library, as in VerifiedTokenCache) reads the verified token's header.
            String typ = JsonWebStructure.fromCompactSerialization(rawToken).getHeader("typ");
            return typ == null ? null : typ.toLowerCase(Locale.ROOT);
        } catch (JoseException | RuntimeException e) {
            return null;
        }
    }
}
