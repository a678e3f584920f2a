package com.example.m2m.api;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import com.example.m2m.dev.DevTokenRelay;

import io.quarkus.arc.Arc;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.oidc.runtime.TenantConfigBean;
import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Declares the OAuth 2.0 {@code clientCredentials} security scheme of the OpenAPI document, with the token URL of
 * the configured issuer (from its discovery document, so it is known only at run time), and gives {@code GET /}
 * the scope {@code DEFAULT_SCOPE} names. The other operations declare their scopes with {@code @SecurityRequirement}.
 * Swagger UI's Authorize button uses this scheme: a person enters a client id and secret and calls the API.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.RUNTIME_PER_REQUEST)
public class OpenApiSecurity implements OASFilter {

    public static final String SCHEME = "oauth2";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        String defaultScope = ConfigProvider.getConfig().getValue(Endpoints.DEFAULT_SCOPE_SETTING, String.class);
        Map<String, String> scopes = new TreeMap<>(Endpoints.scopes(defaultScope));
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSecurityScheme(SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.OAUTH2)
                .description("OAuth 2.0 client credentials from the API's authorization server")
                .flows(OASFactory.createOAuthFlows().clientCredentials(OASFactory.createOAuthFlow()
                        .tokenUrl(tokenUrl())
                        .scopes(scopes))));
        PathItem root = openAPI.getPaths() == null ? null : openAPI.getPaths().getPathItem("/");
        Operation hello = root == null ? null : root.getGET();
        if (hello != null) {
            hello.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme(SCHEME, defaultScope)));
        }
    }

    /** The token endpoint from the issuer's discovery document; the issuer URL while it has not been reachable. */
    private static String tokenUrl() {
        if (LaunchMode.current() == LaunchMode.DEVELOPMENT
                && ConfigProvider.getConfig().getOptionalValue("ISSUER", String.class).isEmpty()) {
            // The built-in OIDC dev service sends no CORS headers: the browser goes through the dev-only relay.
            return DevTokenRelay.PATH;
        }
        try {
            var metadata = Arc.container().instance(TenantConfigBean.class).get().getDefaultTenant().getOidcMetadata();
            if (metadata != null && metadata.getTokenUri() != null) {
                return metadata.getTokenUri();
            }
        } catch (RuntimeException notReady) {
            // fall through
        }
        return ConfigProvider.getConfig().getOptionalValue("quarkus.oidc.auth-server-url", String.class)
                .orElse("/");
    }
}
