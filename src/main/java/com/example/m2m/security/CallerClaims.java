package com.example.m2m.security;

import jakarta.json.JsonString;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Reads which client a client-credentials token was issued to. Providers disagree on the claim: RFC 9068 and
 * Keycloak use {@code client_id}, OIDC's authorized party is {@code azp} (Keycloak, Auth0, Entra ID), Okta uses
 * {@code cid}. When none is there, {@code sub}: for a client-credentials token it names the client (Okta, Auth0's
 * {@code <id>@clients}, Quarkus' dev service). No Quarkus setting covers this, hence the few lines here.
 */
public final class CallerClaims {

    private static final String[] CLIENT_ID_CLAIMS = { "client_id", "azp", "cid", "sub" };

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
     * The identity attribute in which Quarkus keeps the introspection answer (RFC 7662) of a token it introspected
     * ({@code OidcUtils.INTROSPECTION_ATTRIBUTE}, internal): such an identity has no {@code JsonWebToken}.
     */
    public static final String INTROSPECTION_ATTRIBUTE = "introspection";

    /** The caller's client id in an introspection answer (RFC 7662 {@code client_id}, or the same fallbacks). */
    public static String clientId(io.quarkus.oidc.TokenIntrospection answer) {
        for (String claim : CLIENT_ID_CLAIMS) {
            Object value = answer.getJsonObject().get(claim);
            if (value instanceof JsonString json && !json.getString().isBlank()) {
                return json.getString();
            }
        }
        return null;
    }

    /** The caller's client id, or {@code null} when the token names none. */
    public static String clientId(JsonWebToken token) {
        for (String claim : CLIENT_ID_CLAIMS) {
            Object value = token.getClaim(claim);
            String text = value instanceof JsonString json ? json.getString() : value == null ? null : value.toString();
            if (text != null && !text.isBlank()) {
                return text;
            }
        }
        return null;
    }
}
