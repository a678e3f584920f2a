package com.example.m2m.registration;

import java.net.ConnectException;
import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.ClientWebApplicationException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.example.m2m.api.Endpoints;
import com.example.m2m.api.OpenApiSecurity;
import com.example.m2m.audit.AuditEvent;
import com.example.m2m.audit.AuditTrail;
import com.example.m2m.security.Refusals;
import com.example.m2m.security.CallerClaims;
import com.example.m2m.security.IssuerTenants;

import io.quarkus.oidc.client.OidcClientException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * The original sample's {@code /register}, on OAuth 2.0 Dynamic Client Registration (RFC 7591): a trusted caller
 * (scope {@code clients:register}) gets a new confidential client for the client-credentials grant, registered at
 * the issuer's {@code registration_endpoint} (from discovery).
 */
@Path(Endpoints.CLIENTS)
public class ClientRegistrationResource {

    private static final Logger LOG = Logger.getLogger(ClientRegistrationResource.class);

    @Inject
    IssuerTenants issuers;

    @Inject
    SecurityIdentity identity;

    @Inject
    RegistrationRules rules;

    @Inject
    ClientRegistrar registrar;

    @Inject
    AuditTrail audit;

    @POST
    @RolesAllowed(Endpoints.REGISTER_SCOPE)
    @SecurityRequirement(name = OpenApiSecurity.SCHEME, scopes = Endpoints.REGISTER_SCOPE)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> register(NewClientRequest request) {
        String label = rules.label(request);
        List<String> scopes = rules.scopes(request);
        ClientKeys keys = rules.keys(request);
        return registrar.register(label, scopes, keys).map(this::created);
    }

    private Response created(NewClientCredentials client) {
        if (client.clientId() == null
                || (client.clientSecret() == null && ClientRegistrar.SECRET_AUTH.equals(client.tokenEndpointAuthMethod()))) {
            throw new IllegalStateException("the registration endpoint answered without client credentials");
        }
        // Never the secret: the client id, its name and scopes are what an operator needs.
        audit.record(AuditEvent.CLIENT_REGISTERED, "registered", CallerClaims.clientId(identity), issuers.label(identity),
                "POST", Endpoints.CLIENTS,
                "client_id=" + client.clientId() + " label='" + client.clientName() + "' scopes=" + client.scopes()
                        + " auth=" + client.tokenEndpointAuthMethod());
        Response.ResponseBuilder response = Response.status(Response.Status.CREATED).entity(client)
                .header("Cache-Control", "no-store");
        if (client.registrationClientUri() != null) {
            response.location(URI.create(client.registrationClientUri()));
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response refused(RegistrationRules.Refusal refusal) {
        return problem(400, "Bad Request", refusal.getMessage());
    }

    @ServerExceptionMapper
    public Response notAvailable(ClientRegistrar.NotAvailable e) {
        return problem(503, "Service Unavailable", e.getMessage());
    }

    /** The issuer answered the registration with an error (its body is not passed on: it may say too much). */
    @ServerExceptionMapper
    public Response issuerRefused(ClientWebApplicationException e) {
        LOG.warnf("Client registration refused by the authorization server with HTTP %d", e.getResponse().getStatus());
        return problem(502, "Bad Gateway", "The authorization server refused the registration (HTTP "
                + e.getResponse().getStatus() + ")");
    }

    /** The registrar got no token, or the issuer could not be reached. */
    @ServerExceptionMapper
    public Response issuerUnreachable(ProcessingException e) {
        return unavailable(e);
    }

    /** Stopped before it was sent: the registrar's OIDC client gave no token ({@link RequireRegistrarToken}). */
    @ServerExceptionMapper
    public Response registrationNotSent(RequireRegistrarToken.NoToken e) {
        LOG.warn("Client registration not sent: the registrar has no token (its OIDC client is not set up: check"
                + " REGISTRAR_ISSUER or ISSUER, REGISTRAR_CLIENT_ID and its secret or key)");
        return problem(502, "Bad Gateway", "The service could not authenticate to the authorization server");
    }

    @ServerExceptionMapper
    public Response registrarHasNoToken(OidcClientException e) {
        return unavailable(e);
    }

    private static Response unavailable(RuntimeException e) {
        if (causedBy(e, ConnectException.class)) {
            LOG.warn("Client registration failed: the authorization server is not reachable");
            return problem(503, "Service Unavailable", "The authorization server is not reachable; try again later");
        }
        LOG.warnf("Client registration failed: the service could not authenticate to the authorization server (%s)",
                e.getClass().getSimpleName());
        return problem(502, "Bad Gateway", "The service could not authenticate to the authorization server");
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static Response problem(int status, String title, String detail) {
        return Refusals.problem(status, title, detail);
    }
}
