package com.example.m2m.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import com.example.m2m.dev.DevTokenRelay;
import com.example.m2m.security.IssuerTenants;

import io.quarkus.arc.Arc;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Declares the OAuth 2.0 {@code clientCredentials} security scheme of the OpenAPI document, with the token URL of
 * the configured issuer (one scheme per issuer when ISSUER lists several) (from its discovery document, so it is known only at run time), and gives {@code GET /}
 * the scope {@code DEFAULT_SCOPE} names. The other operations declare their scopes with {@code @SecurityRequirement}.
 * Swagger UI's Authorize button uses this scheme: a person enters a client id and secret and calls the API.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.RUNTIME_PER_REQUEST)
public class OpenApiSecurity implements OASFilter {

    public static final String SCHEME = "oauth2";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        String defaultScope = ConfigProvider.getConfig().getValue(Endpoints.DEFAULT_SCOPE_SETTING, String.class);
        java.util.Optional<String> prefix = ConfigProvider.getConfig().getOptionalValue(Endpoints.SCOPE_PREFIX_SETTING,
                String.class);
        Map<String, String> scopes = new TreeMap<>();
        Endpoints.scopes(defaultScope).forEach((scope, grants) -> scopes.put(Endpoints.asRequested(scope, prefix), grants));
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        IssuerTenants issuers = Arc.container().instance(IssuerTenants.class).get();
        List<IssuerTenants.Issuer> all = issuers.all();
        for (int i = 0; i < all.size(); i++) {
            openAPI.getComponents().addSecurityScheme(schemeName(i), OASFactory.createSecurityScheme()
                    .type(SecurityScheme.Type.OAUTH2)
                    .description(all.size() == 1 ? "OAuth 2.0 client credentials from the API's authorization server"
                            : "OAuth 2.0 client credentials from " + all.get(i).url())
                    .flows(OASFactory.createOAuthFlows().clientCredentials(OASFactory.createOAuthFlow()
                            .tokenUrl(tokenUrl(issuers, all.get(i)))
                            .scopes(scopes))));
        }
        PathItem root = openAPI.getPaths() == null ? null : openAPI.getPaths().getPathItem("/");
        Operation hello = root == null ? null : root.getGET();
        if (hello != null) {
            hello.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme(SCHEME, defaultScope)));
        }
        if (prefix.isPresent() && openAPI.getPaths() != null) {
            // The scopes as the client asks for them (SCOPE_PREFIX): what Swagger UI's Authorize requests.
            openAPI.getPaths().getPathItems().values().forEach(path -> path.getOperations().values()
                    .forEach(operation -> prefixScopes(operation, prefix)));
        }
        if (all.size() > 1 && openAPI.getPaths() != null) {
            // Each operation's requirement on the first issuer's scheme, offered for every issuer's: alternatives.
            openAPI.getPaths().getPathItems().values().forEach(path -> path.getOperations().values()
                    .forEach(operation -> offerEveryIssuer(operation, all.size())));
        }
    }

    /** "oauth2" for the first issuer (as with one), "oauth2-2", "oauth2-3", ... for the others, as listed. */
    static String schemeName(int index) {
        return index == 0 ? SCHEME : SCHEME + "-" + (index + 1);
    }

    private static void prefixScopes(Operation operation, java.util.Optional<String> prefix) {
        if (operation.getSecurity() == null) {
            return;
        }
        List<SecurityRequirement> prefixed = new ArrayList<>();
        for (SecurityRequirement requirement : operation.getSecurity()) {
            List<String> scopes = requirement.getScheme(SCHEME);
            prefixed.add(scopes == null ? requirement : OASFactory.createSecurityRequirement().addScheme(SCHEME,
                    scopes.stream().map(scope -> Endpoints.asRequested(scope, prefix)).toList()));
        }
        operation.setSecurity(prefixed);
    }

    private static void offerEveryIssuer(Operation operation, int issuers) {
        if (operation.getSecurity() == null) {
            return;
        }
        List<SecurityRequirement> alternatives = new ArrayList<>();
        for (SecurityRequirement requirement : operation.getSecurity()) {
            alternatives.add(requirement);
            List<String> scopes = requirement.getScheme(SCHEME);
            if (scopes != null) {
                for (int i = 1; i < issuers; i++) {
                    alternatives.add(OASFactory.createSecurityRequirement().addScheme(schemeName(i), scopes));
                }
            }
        }
        operation.setSecurity(alternatives);
    }

    /** The token endpoint from the issuer's discovery document; the issuer URL while it has not been reachable. */
    private static String tokenUrl(IssuerTenants issuers, IssuerTenants.Issuer issuer) {
        if (LaunchMode.current() == LaunchMode.DEVELOPMENT
                && ConfigProvider.getConfig().getOptionalValue("ISSUER", String.class).isEmpty()) {
            // The built-in OIDC dev service sends no CORS headers: the browser goes through the dev-only relay.
            return DevTokenRelay.PATH;
        }
        var metadata = issuers.discovered(issuer);
        if (metadata != null && metadata.getTokenUri() != null) {
            return metadata.getTokenUri();
        }
        return issuer.url().isEmpty() ? "/" : issuer.url();
    }
}
