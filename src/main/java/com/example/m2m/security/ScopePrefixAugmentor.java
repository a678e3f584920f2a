package com.example.m2m.security;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * {@code SCOPE_PREFIX}: Cognito names every custom scope {@code <resource server identifier>/<scope name>}
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-define-resource-servers.html), so a
 * token for this API carries {@code m2m-api/read:messages} where {@code @RolesAllowed} asks for {@code read:messages}.
 * With the prefix set, each scope that starts with it also counts as the rest of its name, as Quarkus' own
 * {@code quarkus.http.auth.roles-mapping} adds mapped roles (which needs every name listed; this takes the prefix
 * once). A scope of another resource server ({@code other-api/read:messages}) does not start with it and counts as
 * nothing here. Once per verification: the verified-token cache keeps the identity as augmented.
 */
@ApplicationScoped
public class ScopePrefixAugmentor implements SecurityIdentityAugmentor {

    private final String prefix;

    @Inject
    public ScopePrefixAugmentor(@ConfigProperty(name = "api.scope-prefix") Optional<String> prefix) {
        this.prefix = prefix.map(String::strip).filter(p -> !p.isEmpty()).orElse(null);
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (prefix == null || identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        Set<String> unprefixed = unprefixed(identity.getRoles(), prefix);
        return Uni.createFrom().item(unprefixed.isEmpty() ? identity
                : QuarkusSecurityIdentity.builder(identity).addRoles(unprefixed).build());
    }

    /** The scopes that start with the prefix, without it (a scope that is the prefix alone gives nothing). */
    public static Set<String> unprefixed(Set<String> scopes, String prefix) {
        Set<String> names = new HashSet<>();
        for (String scope : scopes) {
            if (scope.length() > prefix.length() && scope.startsWith(prefix)) {
                names.add(scope.substring(prefix.length()));
            }
        }
        return names;
    }
}
