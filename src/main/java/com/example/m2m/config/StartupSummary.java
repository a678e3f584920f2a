package com.example.m2m.config;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.example.m2m.api.Endpoints;

import io.quarkus.runtime.StartupEvent;

/**
 * One line at start-up with what the service will accept: the issuer, the audience (or that its check is off), the
 * checks made at the issuer (introspection, the revocation check, and how long their answers hold), and the scope each
 * endpoint needs. An operator sees a wrong {@code .env} at once instead of in the first 401s.
 */
@ApplicationScoped
public class StartupSummary {

    private static final Logger LOG = Logger.getLogger(StartupSummary.class);

    void log(@Observes StartupEvent started,
            @ConfigProperty(name = "api.issuers") Optional<String> listed,
            @ConfigProperty(name = "quarkus.oidc.auth-server-url") Optional<String> issuer,
            @ConfigProperty(name = "quarkus.oidc.token.audience") Optional<List<String>> audience,
            @ConfigProperty(name = Endpoints.DEFAULT_SCOPE_SETTING) String defaultScope,
            @ConfigProperty(name = "api.token.require-rfc9068") boolean requireRfc9068,
            @ConfigProperty(name = "api.token.allowed-clients") Optional<List<String>> allowedClients,
            @ConfigProperty(name = Endpoints.SCOPE_PREFIX_SETTING) Optional<String> scopePrefix,
            @ConfigProperty(name = "api.introspection.client-id") Optional<String> introspectionClient,
            @ConfigProperty(name = "api.introspection.jwt") boolean introspectJwt,
            @ConfigProperty(name = "api.revocation.check") boolean revocationCheck,
            @ConfigProperty(name = "api.introspection.cache-seconds") long answerSeconds) {
        List<String> issuers = listed.filter(s -> !s.isBlank()).map(IssuerList::parse).orElse(List.of());
        LOG.infof("Accepting access tokens from %s; audience: %s; clients: %s; %s; %s; scopes: %s%s",
                issuers.size() > 1 ? "issuers " + String.join(", ", issuers)
                        : "issuer " + issuer.filter(s -> !s.isBlank()).orElse("(the OIDC dev service)"),
                audience.filter(a -> !a.isEmpty() && !a.equals(List.of("any"))).map(a -> String.join(" or ", a))
                        .orElse("not checked (AUDIENCE_CHECK=false, or dev mode's built-in issuer)"),
                allowedClients.filter(c -> !c.isEmpty() && !c.contains("any")).map(c -> String.join(", ", c))
                        .orElse("any"),
                requireRfc9068 ? "RFC 9068 tokens only" : "JWT or RFC 9068 tokens",
                checksAtTheIssuer(introspectionClient.filter(c -> !c.isBlank()).isPresent(), introspectJwt,
                        revocationCheck, answerSeconds),
                Endpoints.summary(defaultScope),
                scopePrefix.map(p -> " (in tokens as " + p + "<scope>)").orElse(""));
    }

    /**
     * What is asked of the issuer besides its keys: which tokens are introspected, whether verified ones are checked for
     * revocation, and how long an answer holds (the longest a revoked token is still accepted).
     */
    static String checksAtTheIssuer(boolean introspectionClient, boolean introspectJwt, boolean revocationCheck,
            long answerSeconds) {
        String introspection = !introspectionClient ? "introspection: off (opaque tokens refused)"
                : (introspectJwt ? "introspection: every token (INTROSPECT_JWT)" : "introspection: opaque tokens only")
                        + ", answers trusted " + answerSeconds + " s";
        return introspection + "; revocation check: " + (revocationCheck
                ? "on (REVOCATION_CHECK), every " + answerSeconds + " s per token"
                : "off");
    }
}
