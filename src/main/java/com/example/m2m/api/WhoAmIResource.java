package com.example.m2m.api;

import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import com.example.m2m.security.CallerClaims;
import com.example.m2m.security.KeyBindingAugmentor;
import com.example.m2m.security.QuarkusOidc;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.Authenticated;
import io.quarkus.oidc.TokenIntrospection;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.NonBlocking;

/** Tells a machine caller what the API sees in its token. */
// Answered on the I/O thread: nothing here blocks, and a hop to a worker thread costs more than the answer.
@NonBlocking
@Path(Endpoints.WHOAMI)
@Authenticated
@SecurityRequirement(name = OpenApiSecurity.SCHEME)
public class WhoAmIResource {

    /**
     * The caller as the API sees it; {@code scopes} are exactly the roles {@code @RolesAllowed} checks;
     * {@code dpopKey} the thumbprint of the key the token is bound to (RFC 9449 {@code cnf.jkt}), absent for a
     * bearer token.
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WhoAmI(String clientId, Set<String> scopes, String issuer, Instant expiresAt, String dpopKey) {
    }

    @Inject
    SecurityIdentity identity;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public WhoAmI whoami() {
        String issuer;
        Long expiresAt;
        if (identity.getPrincipal() instanceof JsonWebToken token) {
            issuer = token.getIssuer();
            expiresAt = token.getExpirationTime();
        } else {
            // An introspected token (opaque, or INTROSPECT_JWT): what its issuer's answer says.
            TokenIntrospection answer = identity.getAttribute(QuarkusOidc.INTROSPECTION_ATTRIBUTE);
            issuer = answer == null ? null : answer.getString("iss");
            expiresAt = answer == null ? null : answer.getLong("exp");
        }
        return new WhoAmI(
                CallerClaims.clientId(identity),
                new TreeSet<>(identity.getRoles()),
                issuer,
                expiresAt == null ? null : Instant.ofEpochSecond(expiresAt),
                identity.getAttribute(KeyBindingAugmentor.BOUND_KEY));
    }
}
