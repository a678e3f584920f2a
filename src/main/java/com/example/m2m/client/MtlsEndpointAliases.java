package com.example.m2m.client;

import java.net.URI;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.example.m2m.config.TlsSettings;
import com.example.m2m.security.QuarkusOidc;

import io.quarkus.arc.Unremovable;
import io.quarkus.oidc.common.OidcEndpoint;
import io.quarkus.oidc.common.OidcResponseFilter;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;

/**
 * RFC 8705 section 5: an authorization server that serves mutual TLS elsewhere than its ordinary endpoints (another
 * host, so that browsers on {@code /authorize} are never asked for a certificate) lists those endpoints in its
 * metadata's {@code mtls_endpoint_aliases}, and a client that authenticates with its certificate, or wants
 * certificate-bound tokens, uses them. Auth0 does so when a tenant enables its endpoint aliases
 * ({@code mtls.<custom domain>}); Keycloak lists its own endpoints there.
 * <p>
 * Quarkus' OIDC client reads only {@code token_endpoint} and {@code revocation_endpoint} from the discovery document
 * and has no option for the aliases, so this filter of the discovery response puts the aliases in their place. Only
 * for the caller's own client (Quarkus' default OIDC client: never the service's tenants, nor the registrar's client),
 * only when the caller has a certificate ({@code TEST_CLIENT_CERT_FILE}), and only an {@code https} alias (mutual TLS
 * is TLS; an {@code http} alias, as Keycloak lists behind an {@code http} host name, would send the certificate
 * nowhere). {@code TEST_CLIENT_TOKEN_ENDPOINT}, when set, skips discovery and this filter with it.
 */
@Unremovable // found by Quarkus' OIDC client among the OidcResponseFilter beans, never injected
@ApplicationScoped
@OidcEndpoint(OidcEndpoint.Type.DISCOVERY)
public class MtlsEndpointAliases implements OidcResponseFilter {

    private static final Logger LOG = Logger.getLogger(MtlsEndpointAliases.class);

    /** The id Quarkus gives its default OIDC client, the caller's. */
    static final String CALLER_CLIENT = "Default";

    /** The metadata members the caller's client reads, each replaced by its alias when there is one. */
    static final String[] ENDPOINTS = { "token_endpoint", "revocation_endpoint" };

    private final boolean callerHasCertificate;

    @Inject
    public MtlsEndpointAliases(
            @ConfigProperty(name = TlsSettings.CALLER_CERTIFICATE) Optional<String> certificate) {
        this.callerHasCertificate = certificate.filter(file -> !file.isBlank()).isPresent();
    }

    @Override
    public void filter(OidcResponseContext context) {
        if (!callerHasCertificate || context.statusCode() != 200
                || !CALLER_CLIENT.equals(context.requestProperties().getString(QuarkusOidc.CLIENT_PROPERTY))) {
            return;
        }
        JsonObject metadata = withAliases(context.responseBody().toString());
        if (metadata != null) {
            context.responseBody(Buffer.buffer(metadata.encode()));
        }
    }

    /**
     * The metadata with each endpoint the caller uses replaced by its {@code https} alias, or null when there is
     * nothing to replace (no aliases, none usable, or a document that is not JSON: Quarkus then reports it as ever).
     */
    static JsonObject withAliases(String document) {
        JsonObject metadata;
        try {
            metadata = new JsonObject(document);
        } catch (RuntimeException notJson) {
            return null;
        }
        if (!(metadata.getValue("mtls_endpoint_aliases") instanceof JsonObject aliases)) {
            return null;
        }
        boolean replaced = false;
        for (String endpoint : ENDPOINTS) {
            if (aliases.getValue(endpoint) instanceof String alias && isHttps(alias)) {
                metadata.put(endpoint, alias);
                replaced = true;
                LOG.debugf("The caller uses the issuer's mTLS alias of its %s: %s", endpoint, alias);
            }
        }
        return replaced ? metadata : null;
    }

    private static boolean isHttps(String url) {
        try {
            URI uri = new URI(url);
            return "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
