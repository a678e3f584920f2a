package com.example.m2m.security.introspection;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.example.m2m.security.CallerClaims;
import com.example.m2m.security.IssuerTenants;
import com.example.m2m.security.TokenFailure;
import com.example.m2m.security.QuarkusOidc;

import io.quarkus.oidc.TokenIntrospection;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;

/**
 * The checks a JWT gets here, for a token Quarkus accepted on its issuer's introspection answer (RFC 7662): Quarkus
 * checks {@code active}, {@code exp} and the answer's age, but not whom the token is for. An introspection endpoint
 * answers for every token of its issuer, including tokens meant for other APIs, so (RFC 7662 section 4, RFC 9068
 * section 4): the answer's {@code aud} must name this API (as {@code AUDIENCE}, unless the check is off), and its
 * {@code iss}, when it says one, must be the issuer that was asked. Runs before this service's other augmentors see
 * the identity as accepted; a refusal is a 401 {@code invalid_token} like a JWT's.
 */
@ApplicationScoped
public class IntrospectedTokenCheck implements SecurityIdentityAugmentor {

    @Inject
    IssuerTenants issuers;

    @ConfigProperty(name = "quarkus.oidc.token.audience")
    Optional<List<String>> audiences;

    @Override
    public int priority() {
        return 100; // before the augmentors that record the caller's claims (priority 0)
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()
                || !(identity.getAttribute(QuarkusOidc.INTROSPECTION_ATTRIBUTE) instanceof TokenIntrospection answer)) {
            return Uni.createFrom().item(identity);
        }
        TokenFailure refusal = check(answer, issuers.issuerIdOfTenant(IssuerTenants.tenantOf(identity)),
                audiences.orElse(List.of()));
        return refusal == null ? Uni.createFrom().item(identity)
                : Uni.createFrom().failure(new AuthenticationFailedException(new TokenFailure.Refused(refusal)));
    }

    /** Null when the answer is for this API from the issuer asked; else why not. */
    static TokenFailure check(TokenIntrospection answer, String expectedIssuer, List<String> audiences) {
        JsonValue iss = answer.getJsonObject().get("iss");
        if (iss != null && !(iss instanceof JsonString text && text.getString().equals(expectedIssuer))) {
            return TokenFailure.WRONG_ISSUER;
        }
        if (audiences.isEmpty() || audiences.contains("any")) {
            return null; // AUDIENCE_CHECK=false, or dev mode's built-in issuer
        }
        JsonValue aud = answer.getJsonObject().get("aud");
        if (aud instanceof JsonString text && audiences.contains(text.getString())) {
            return null;
        }
        if (aud instanceof JsonArray array) {
            for (JsonValue value : array) {
                if (value instanceof JsonString text && audiences.contains(text.getString())) {
                    return null;
                }
            }
        }
        return TokenFailure.WRONG_AUDIENCE;
    }
}
