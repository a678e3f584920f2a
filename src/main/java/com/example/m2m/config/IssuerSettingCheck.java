package com.example.m2m.config;

import io.quarkus.runtime.annotations.RegisterForReflection;

import com.example.m2m.client.CallCommand;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;

/**
 * Stops start-up with one line naming {@code ISSUER} when it is missing or not a list of URLs, and gives the OIDC
 * properties that take its value the first URL of the list ({@link IssuerList}).
 * <p>
 * The OIDC properties take their value from {@code ISSUER} (application.properties); left alone, Quarkus would report
 * a missing {@code ISSUER} as a problem with {@code quarkus.oidc.auth-server-url}, a name the user never set. This
 * interceptor sees the value as those properties are read, before any extension uses it, and stops start-up with a
 * {@link SettingProblem}: the sentence alone. Registered in
 * {@code META-INF/services/io.smallrye.config.ConfigSourceInterceptor}.
 */
// Instantiated by SmallRye Config through ServiceLoader: registered for the native image.
@RegisterForReflection
public class IssuerSettingCheck implements ConfigSourceInterceptor {

    /** The value application.properties gives the OIDC properties in prod when ISSUER is not set. */
    public static final String UNSET = "<ISSUER not set>";

    /** The property that takes ISSUER's value and that every mode reads (the caller's OIDC client reads it too). */
    private static final String FROM_ISSUER = "quarkus.oidc.auth-server-url";

    /**
     * The OIDC clients' URLs, which read the property above through an expression (the registrar's unless
     * REGISTRAR_ISSUER is set): each takes the first URL of a list too, whatever the order in which the expression
     * and this interceptor run. (Left a list, Quarkus disables the client silently.)
     */
    private static final java.util.Set<String> CLIENT_URLS = java.util.Set.of("quarkus.oidc-client.auth-server-url",
            "quarkus.oidc-client.registrar.auth-server-url");

    private static final String EXPECTED = "set ISSUER (environment or .env) to your authorization server's issuer URL,"
            + " e.g. https://dev-123456.okta.com/oauth2/default or https://keycloak.example.com/realms/m2m";

    static final String NOT_SET = "ISSUER is not set: " + EXPECTED;

    static final String CALLER_NOT_SET = "ISSUER is not set: set ISSUER to the issuer URL of the API's authorization"
            + " server, or run `call --discover` to ask the API for it (it is used only if it is one of TRUSTED_ISSUERS)";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        // The build reads raw values (with ${...}); only an expanded value is the user's. Empty is how dev and
        // test say "not set here" (the dev service or a test issuer takes over), so only prod's marker is refused.
        String issuer = value == null ? null : value.getValue();
        if (FROM_ISSUER.equals(name) && issuer != null && !issuer.isBlank() && !issuer.contains("${")) {
            ConfigValue caller = context.proceed(CallCommand.CALLER_MODE);
            if (caller != null && "true".equals(caller.getValue()) && UNSET.equals(issuer)) {
                throw new SettingProblem(CALLER_NOT_SET);
            }
            // ISSUER may list several issuers: this property (the default tenant, the caller, the registrar) takes
            // the first; security.IssuerTenants makes a tenant of each other one.
            String first = IssuerList.parse(issuer).get(0);
            return first.equals(issuer) ? value : value.withValue(first);
        }
        if (CLIENT_URLS.contains(name) && issuer != null && issuer.contains(",") && !issuer.contains("${")) {
            String first = issuer.substring(0, issuer.indexOf(',')).strip();
            return value.withValue(first);
        }
        return value;
    }

    static void check(String issuer) {
        if (UNSET.equals(issuer)) {
            throw new SettingProblem(NOT_SET);
        }
        if (Setting.isHttpUrl(issuer.trim())) {
            return;
        }
        throw new SettingProblem("ISSUER is not an http(s) URL ('" + issuer + "'): " + EXPECTED);
    }
}
