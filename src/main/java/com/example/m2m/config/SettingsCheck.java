package com.example.m2m.config;

import jakarta.annotation.Priority;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;

/**
 * Applies each {@link Setting}'s rule as its value is read, from the environment, {@code .env} or a system property:
 * surrounding whitespace is dropped, an empty value counts as unset (its default applies), and a value that breaks
 * the rule stops start-up with one line naming the setting (Quarkus prints a {@link ConfigurationException}'s message
 * alone), instead of a stack trace about whichever Quarkus property the value ended up in.
 * <p>
 * Its priority puts it below expression expansion: application.properties reads the settings as expressions
 * ({@code ${DEFAULT_SCOPE:read:messages}}), and the expansion's lookups of the setting names pass through here.
 * Registered in {@code META-INF/services/io.smallrye.config.ConfigSourceInterceptor}.
 */
@RegisterForReflection // instantiated by SmallRye Config through ServiceLoader
@Priority(Priorities.LIBRARY + 250)
public class SettingsCheck implements ConfigSourceInterceptor {

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (value == null || value.getValue() == null || name.isEmpty() || !Character.isUpperCase(name.charAt(0))) {
            return value; // quick exit: the settings are the upper-case names
        }
        Setting setting = Setting.named(name).orElse(null);
        if (setting == null) {
            return value;
        }
        try {
            String normalised = setting.normalise(value.getValue());
            return normalised == null ? null : value.withValue(normalised);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
    }
}
