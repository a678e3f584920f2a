package com.example.m2m.config;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;

/**
 * {@code REVOCATION_CHECK=true} or {@code INTROSPECT_JWT=true} without the service's introspection client stops
 * start-up with one line naming what is missing: both need to ask the issuer, and asking without credentials would
 * refuse every token. Same mechanism as {@link IssuerSettingCheck}; registered in
 * {@code META-INF/services/io.smallrye.config.ConfigSourceInterceptor}.
 */
@RegisterForReflection // instantiated by SmallRye Config through ServiceLoader
public class IntrospectionSettingCheck implements ConfigSourceInterceptor {

    private static final String CLIENT_ID = "api.introspection.client-id";
    private static final String CLIENT_SECRET = "api.introspection.client-secret";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        String setting = switch (name) {
            case "api.revocation.check" -> "REVOCATION_CHECK";
            case "api.introspection.jwt" -> "INTROSPECT_JWT";
            default -> null;
        };
        if (setting != null && value != null && "true".equalsIgnoreCase(value.getValue())) {
            if (blank(context.proceed(CLIENT_ID))) {
                throw new ConfigurationException(setting + "=true needs INTROSPECTION_CLIENT_ID and"
                        + " INTROSPECTION_CLIENT_SECRET: the service's own client at the issuer, allowed to introspect");
            }
            if (blank(context.proceed(CLIENT_SECRET))) {
                throw new ConfigurationException(setting + "=true needs INTROSPECTION_CLIENT_SECRET, the secret of"
                        + " INTROSPECTION_CLIENT_ID");
            }
        }
        return value;
    }

    private static boolean blank(ConfigValue value) {
        return value == null || value.getValue() == null || value.getValue().isBlank()
                || value.getValue().contains("${");
    }
}
