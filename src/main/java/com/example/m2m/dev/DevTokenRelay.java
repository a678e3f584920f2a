package com.example.m2m.dev;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.oidc.OidcConfigurationMetadata;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * Dev mode only: passes Swagger UI's token request on to Quarkus' built-in OIDC dev service, which sends no CORS
 * headers, so that a browser on the service's own origin can use the Authorize button in dev mode too. Not built
 * into the packaged service (a real issuer answers CORS itself; see the README).
 */
@IfBuildProfile("dev")
@Path(DevTokenRelay.PATH)
public class DevTokenRelay {

    public static final String PATH = "/dev/token";

    @Inject
    Vertx vertx;

    @Inject
    OidcConfigurationMetadata issuer;

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Uni<Response> token(String form, @HeaderParam("Authorization") String authorization) {
        var request = WebClient.create(vertx).requestAbs(HttpMethod.POST, issuer.getTokenUri())
                .putHeader("Content-Type", MediaType.APPLICATION_FORM_URLENCODED);
        if (authorization != null) {
            request.putHeader("Authorization", authorization);
        }
        return request.sendBuffer(Buffer.buffer(form)).map(answer -> Response.status(answer.statusCode())
                .type(MediaType.APPLICATION_JSON).header("Cache-Control", "no-store")
                .entity(answer.bodyAsString()).build());
    }
}
