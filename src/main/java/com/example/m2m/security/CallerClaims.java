package com.example.m2m.security;

import java.util.function.Function;

import jakarta.json.JsonString;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.JwtClaims;

import io.quarkus.oidc.TokenIntrospection;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Reads which client a client-credentials token was issued to. Providers disagree on the claim: RFC 9068 and
 * Keycloak use {@code client_id}, OIDC's authorized party is {@code azp} (Keycloak, Auth0, Entra ID v2.0 tokens), Entra ID v1.0 tokens use {@code appid}, Okta uses
 * {@code cid}. When none is there, {@code sub}: for a client-credentials token it names the client (Okta, Auth0's
 * {@code <id>@clients}, Quarkus' dev service). No Quarkus setting covers this, hence the few lines here.
 */
public final class CallerClaims {

    private static final String[] CLIENT_ID_CLAIMS = { "client_id", "azp", "appid", "cid", "sub" };

    /**
     * The identity attribute that holds the client id, set once per verified token by {@link ClientIdAugmentor}:
     * reading non-standard claims through {@code JsonWebToken.getClaim} throws and catches an exception inside
     * smallrye-jwt each time, too slow for every request.
     */
    public static final String CLIENT_ID_ATTRIBUTE = CallerClaims.class.getName() + ".client-id";

    private CallerClaims() {
    }

    /** The caller's client id as {@link ClientIdAugmentor} recorded it, or {@code null}. */
    public static String clientId(SecurityIdentity identity) {
        return identity.getAttribute(CLIENT_ID_ATTRIBUTE);
    }

    /**
     * The verified claims of an identity, whichever way its token was checked: a JWT's, or its issuer's introspection
     * answer's; null for an identity with neither.
     */
    public static Function<String, Object> claims(SecurityIdentity identity) {
        if (identity.isAnonymous()) {
            return null;
        }
        JwtClaims jwt = QuarkusOidc.jwtClaims(identity.getPrincipal());
        if (jwt != null) {
            return jwt::getClaimValue; // values as JSON gave them: String, Number, List, Map
        }
        if (identity.getPrincipal() instanceof JsonWebToken token) {
            return token::getClaim;
        }
        if (identity.getAttribute(QuarkusOidc.INTROSPECTION_ATTRIBUTE) instanceof TokenIntrospection answer) {
            return name -> answer.getJsonObject().get(name);
        }
        return null;
    }

    /** The caller's client id in a token's claims, or {@code null} when they name none. */
    public static String clientId(Function<String, Object> claims) {
        for (String claim : CLIENT_ID_CLAIMS) {
            Object value = claims.apply(claim);
            String text = value instanceof JsonString json ? json.getString() : value == null ? null : value.toString();
            if (text != null && !text.isBlank()) {
                return text;
            }
        }
        return null;
    }

}
