package com.example.m2m.security;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.lang.JoseException;


import io.quarkus.arc.Unremovable;
import io.quarkus.oidc.common.OidcEndpoint;
import io.quarkus.oidc.common.OidcResponseFilter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Sees every key set (JWKS) Quarkus OIDC fetches from an issuer (each issuer's tenant its own) and writes it, once, to
 * {@link PublishedKeys}: each key's thumbprint and the algorithm it is published for. Everything that depends on the
 * keys reads that view: {@link VerifiedTokenCache} (once the issuer stops publishing a key, the tokens it verified are
 * checked afresh), {@code flood.RefusedTokens} (a changed key set ends every remembered refusal) and the algorithm
 * rule.
 */
@Unremovable // nothing injects it; Quarkus OIDC looks it up when it calls the issuer
@ApplicationScoped
@OidcEndpoint(OidcEndpoint.Type.JWKS)
public class SigningKeyWatch implements OidcResponseFilter {

    @Inject
    PublishedKeys publishedKeys;

    @Override
    public Uni<Void> filter(OidcResponseFilterContext context) {
        if (context.statusCode() != 200) {
            return Uni.createFrom().voidItem(); // Quarkus keeps its keys when a fetch fails; so does the cache
        }
        Map<String, String> keys = keys(context.responseBody() == null ? null : context.responseBody().toString());
        String tenantId = QuarkusOidc.tenantOf(context.requestProperties()); // which issuer answered
        // The one write: the cache, the refusal memory and the algorithm rule read this view.
        publishedKeys.update(tenantId, keys);
        return Uni.createFrom().voidItem();
    }

    /**
     * The keys of a JWKS document: each key's RFC 7638 thumbprint and the {@code alg} its JWK declares ("" if none). A
     * key that cannot be read is left out, and so is every key of an answer that cannot be read at all: then no cache
     * entry is trusted and every token is checked afresh.
     */
    static Map<String, String> keys(String jwks) {
        Map<String, String> keys = new HashMap<>();
        try {
            JsonArray published = new JsonObject(jwks).getJsonArray("keys");
            for (int i = 0; published != null && i < published.size(); i++) {
                try {
                    JsonWebKey jwk = JsonWebKey.Factory.newJwk(published.getJsonObject(i).getMap());
                    String thumbprint = KeyThumbprint.of(jwk.getKey());
                    if (thumbprint != null) {
                        keys.put(thumbprint, jwk.getAlgorithm() == null ? "" : jwk.getAlgorithm());
                    }
                } catch (JoseException | RuntimeException unreadableKey) {
                    // not a key Quarkus can verify with either
                }
            }
        } catch (RuntimeException unreadable) {
            keys.clear();
        }
        return keys;
    }

}
