package com.example.m2m.security.rules;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.example.m2m.security.CallerClaims;

import io.quarkus.arc.Unremovable;

/**
 * {@code ALLOWED_CLIENTS}: only tokens issued to these clients are accepted (the client as {@link CallerClaims} reads
 * it: {@code client_id}, {@code azp}, {@code appid}, {@code cid}, else {@code sub}). Required where the audience is not
 * checked ({@code AUDIENCE_CHECK=false}): Cognito's access tokens carry no {@code aud}, and without this any token of
 * the user pool, issued for any app, would be accepted; AWS gives the same advice (check {@code client_id},
 * https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html).
 * With the audience checked it narrows further; {@code any} (or unset) accepts every client.
 */
@Unremovable // found by Quarkus OIDC as a jose4j Validator bean, never injected
@ApplicationScoped
public class AllowedClients extends TokenRule {

    /** The value that accepts every client, on purpose. */
    public static final String ANY = "any";

    private final Set<String> allowed;

    @Inject
    public AllowedClients(@ConfigProperty(name = "api.token.allowed-clients") Optional<List<String>> clients) {
        Set<String> listed = clients.orElse(List.of()).stream().map(String::strip).filter(c -> !c.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        this.allowed = listed.contains(ANY) ? Set.of() : listed;
    }

    @Override
    protected RuleViolation check(Token token) {
        if (allowed.isEmpty()) {
            return null;
        }
        String client = CallerClaims.clientId(token.claims()::getClaimValue);
        return client != null && allowed.contains(client) ? null : RuleViolation.CLIENT_NOT_ALLOWED;
    }
}
