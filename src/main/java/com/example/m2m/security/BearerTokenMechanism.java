package com.example.m2m.security;

import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.oidc.runtime.OidcAuthenticationMechanism;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Quarkus' OIDC bearer-token mechanism, with one guarantee added: whatever a caller sends, a token that cannot be
 * verified is a 401 with a Bearer challenge, never a 500.
 * <p>
 * Quarkus 3.33 lets some failures escape as server errors: a token without two dots fails inside its opaque-token
 * check with a {@code NoSuchElementException}, and a token arriving while the issuer has never been reachable fails
 * with the connection error, and so does building the challenge for it. Both reach the caller as 500. This delegate
 * turns every failure that is not already an authentication failure into one, and falls back to a bare
 * {@code Bearer} challenge and the bearer transport where Quarkus cannot resolve them; all verification stays Quarkus'.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class BearerTokenMechanism implements HttpAuthenticationMechanism {

    private static final Logger LOG = Logger.getLogger(BearerTokenMechanism.class);

    private static final ChallengeData BARE_CHALLENGE = new ChallengeData(401, "WWW-Authenticate", "Bearer");

    private static final HttpCredentialTransport BEARER_TRANSPORT = new HttpCredentialTransport(
            HttpCredentialTransport.Type.AUTHORIZATION, "bearer");

    @Inject
    OidcAuthenticationMechanism oidc;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        return Uni.createFrom().deferred(() -> oidc.authenticate(context, identityProviderManager))
                .onFailure(failure -> !(failure instanceof AuthenticationFailedException))
                .transform(BearerTokenMechanism::asAuthenticationFailure);
    }

    private static AuthenticationFailedException asAuthenticationFailure(Throwable failure) {
        // The class only: a message may quote the token.
        LOG.debugf("Bearer token not verifiable (%s); answering 401", failure.getClass().getName());
        return new AuthenticationFailedException(failure);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        // Quarkus builds its challenge from the tenant, which fails too while the issuer was never reachable.
        return Uni.createFrom().deferred(() -> oidc.getChallenge(context))
                .onFailure().recoverWithItem(BARE_CHALLENGE);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return oidc.getCredentialTypes();
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        // Resolved from the tenant too; a bearer token in the Authorization header is what this service takes.
        return Uni.createFrom().deferred(() -> oidc.getCredentialTransport(context))
                .onFailure().recoverWithItem(BEARER_TRANSPORT);
    }

    @Override
    public int getPriority() {
        // Ahead of Quarkus' own OIDC mechanism, which stays registered beside this one.
        return oidc.getPriority() + 1;
    }
}
