package com.example.m2m.config;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;

/**
 * In prod, a missing {@code AUDIENCE} stops start-up with one line naming it (RFC 9068 section 4 and RFC 8725
 * section 3.9: a resource server checks that a token was meant for it; a typo in {@code .env} must not silently turn
 * the check off). The explicit way out, for providers that put no audience in access tokens, is
 * {@code AUDIENCE_CHECK=false}. Same mechanism as {@link IssuerSettingCheck}; registered in
 * {@code META-INF/services/io.smallrye.config.ConfigSourceInterceptor}.
 */
@RegisterForReflection // instantiated by SmallRye Config through ServiceLoader
public class AudienceSettingCheck implements ConfigSourceInterceptor {

    /** The value application.properties gives the audience in prod when AUDIENCE is not set. */
    public static final String UNSET = "<AUDIENCE not set>";

    static final String NOT_SET = "AUDIENCE is not set: set AUDIENCE to the aud value your authorization server puts"
            + " in access tokens for this API (e.g. api://default), or AUDIENCE_CHECK=false if it puts none";

    /**
     * Without an audience, any token of the issuer would do, a token issued for another API of the same issuer
     * included: a list of the clients that may call replaces the check, and {@code any} says so on purpose.
     */
    static final String NO_ALLOWED_CLIENTS = "AUDIENCE_CHECK=false needs ALLOWED_CLIENTS: the client ids whose"
            + " tokens this API accepts, comma-separated (or ALLOWED_CLIENTS=any to accept every client of the issuer,"
            + " whatever API its tokens are for)";

    private static final String ALLOWED_CLIENTS = "api.token.allowed-clients";

    private static final String FROM_AUDIENCE = "quarkus.oidc.token.audience";
    private static final String CHECK_SWITCH = "api.token.audience-check";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (FROM_AUDIENCE.equals(name) && value != null && UNSET.equals(value.getValue())) {
            ConfigValue check = context.proceed(CHECK_SWITCH);
            if (check != null && "false".equalsIgnoreCase(check.getValue())) {
                ConfigValue allowed = context.proceed(ALLOWED_CLIENTS);
                ConfigValue caller = context.proceed(com.example.m2m.client.CallCommand.CALLER_MODE);
                boolean callerMode = caller != null && "true".equals(caller.getValue()); // it verifies no tokens
                if (!callerMode && (allowed == null || allowed.getValue() == null || allowed.getValue().isBlank())) {
                    throw new SettingProblem(NO_ALLOWED_CLIENTS);
                }
                return null; // AUDIENCE_CHECK=false: no audience is required, the client list takes its place
            }
            throw new SettingProblem(NOT_SET);
        }
        return value;
    }
}
