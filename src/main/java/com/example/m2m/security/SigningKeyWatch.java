package com.example.m2m.security;

import java.util.HashSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.lang.JoseException;

import io.quarkus.arc.Unremovable;
import io.quarkus.oidc.common.OidcEndpoint;
import io.quarkus.oidc.common.OidcResponseFilter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Sees every key set (JWKS) Quarkus OIDC fetches from the issuer, and hands {@link VerifiedTokenCache} the
 * thumbprints of the keys in it: once the issuer stops publishing a key, the tokens it verified are checked afresh.
 */
@Unremovable // nothing injects it; Quarkus OIDC looks it up when it calls the issuer
@ApplicationScoped
@OidcEndpoint(OidcEndpoint.Type.JWKS)
public class SigningKeyWatch implements OidcResponseFilter {

    @Inject
    VerifiedTokenCache verifiedTokens;

    @Override
    public void filter(OidcResponseContext context) {
        if (context.statusCode() != 200) {
            return; // Quarkus keeps its keys when a fetch fails; so does the cache
        }
        verifiedTokens.retainKeys(thumbprints(context.responseBody() == null ? null : context.responseBody().toString()));
    }

    /**
     * The RFC 7638 thumbprints of the keys of a JWKS document. A key that cannot be read is left out, and so is every
     * key of an answer that cannot be read at all: then no entry is trusted and every token is checked afresh.
     */
    static Set<String> thumbprints(String jwks) {
        Set<String> thumbprints = new HashSet<>();
        try {
            JsonArray keys = new JsonObject(jwks).getJsonArray("keys");
            for (int i = 0; keys != null && i < keys.size(); i++) {
                try {
                    thumbprints.add(JsonWebKey.Factory.newJwk(keys.getJsonObject(i).getMap())
                            .calculateBase64urlEncodedThumbprint("SHA-256"));
                } catch (JoseException | RuntimeException unreadableKey) {
                    // not a key Quarkus can verify with either
                }
            }
        } catch (RuntimeException unreadable) {
            thumbprints.clear();
        }
        return thumbprints;
    }
}
