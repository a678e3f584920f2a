package com.example.m2m.registration;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What a registration may ask for. Labels become the client's {@code client_name}; scopes must be on the
 * allow-list ({@code REGISTRATION_ALLOWED_SCOPES}), as the original sample allowed only existing public scopes.
 */
@ApplicationScoped
public class RegistrationRules {

    static final int MAX_LABEL_LENGTH = 64;

    /** A refusal, with the detail the caller sees. */
    public static final class Refusal extends RuntimeException {
        Refusal(String message) {
            super(message, null, false, false);
        }
    }

    private final Set<String> allowedScopes;

    public RegistrationRules(@ConfigProperty(name = "api.registration.allowed-scopes") List<String> allowedScopes) {
        this.allowedScopes = Set.copyOf(allowedScopes);
    }

    public Set<String> allowedScopes() {
        return allowedScopes;
    }

    /** The label, trimmed; refuses an empty, over-long or control-character label. */
    public String label(NewClientRequest request) {
        String label = request == null || request.label() == null ? "" : request.label().strip();
        if (label.isEmpty()) {
            throw new Refusal("label is required");
        }
        if (label.length() > MAX_LABEL_LENGTH) {
            throw new Refusal("label is longer than " + MAX_LABEL_LENGTH + " characters");
        }
        if (label.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT)) {
            throw new Refusal("label contains control characters");
        }
        return label;
    }

    /** The scopes, without duplicates; refuses none, or any not on the allow-list, naming it. */
    public List<String> scopes(NewClientRequest request) {
        if (request == null || request.scopes() == null || request.scopes().isEmpty()) {
            throw new Refusal("scopes is required: one or more of " + String.join(", ", sorted()));
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (String scope : request.scopes()) {
            if (scope == null || !allowedScopes.contains(scope)) {
                throw new Refusal("scope '" + printable(scope) + "' may not be registered; allowed: "
                        + String.join(", ", sorted()));
            }
            scopes.add(scope);
        }
        return List.copyOf(scopes);
    }

    /**
     * The keys of a {@code private_key_jwt} client, or null for a client with a secret. Refuses both {@code jwks} and
     * {@code jwks_uri}, a {@code jwks_uri} that is not https, and a key set that is not public signing keys of a
     * strength RFC 7518 allows (RSA of 2048 bits or more, EC on P-256/384/521): a private or symmetric key sent here
     * would be a key the caller has just disclosed.
     */
    public ClientKeys keys(NewClientRequest request) {
        if (request == null || (request.jwks() == null && request.jwksUri() == null)) {
            return null;
        }
        if (request.jwks() != null && request.jwksUri() != null) {
            throw new Refusal("give jwks or jwks_uri, not both");
        }
        if (request.jwksUri() != null) {
            if (!request.jwksUri().startsWith("https://") || request.jwksUri().length() > 2048
                    || !com.example.m2m.config.Setting.isHttpUrl(request.jwksUri())) {
                throw new Refusal("jwks_uri must be an https URL");
            }
            return new ClientKeys(null, request.jwksUri());
        }
        return new ClientKeys(ClientKeys.publicSigningKeys(request.jwks()), null);
    }

    private List<String> sorted() {
        return allowedScopes.stream().sorted().toList();
    }

    private static String printable(String scope) {
        if (scope == null) {
            return "null";
        }
        String shown = scope.codePoints().limit(64)
                .map(c -> Character.isISOControl(c) || c == '\'' ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return scope.length() > 64 ? shown + "..." : shown;
    }
}
