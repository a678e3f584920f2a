package com.example.m2m.security;

import java.util.HashSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.arc.Unremovable;
import io.quarkus.oidc.common.OidcEndpoint;
import io.quarkus.oidc.common.OidcResponseFilter;
import io.vertx.core.json.JsonArray;

/**
 * Sees every key set (JWKS) Quarkus OIDC fetches from the issuer, and drops from {@link VerifiedTokenCache} the
 * tokens signed with a key that is no longer in it: once Quarkus stops trusting a key, so does the cache.
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
        Set<String> keyIds = new HashSet<>();
        try {
            JsonArray keys = context.responseBody().toJsonObject().getJsonArray("keys");
            for (int i = 0; keys != null && i < keys.size(); i++) {
                String kid = keys.getJsonObject(i).getString("kid");
                if (kid != null) {
                    keyIds.add(kid);
                }
            }
        } catch (RuntimeException e) {
            keyIds.clear(); // an answer that cannot be read trusts no key: every entry is checked afresh
        }
        verifiedTokens.retainKeys(keyIds);
    }
}
