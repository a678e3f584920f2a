package com.example.m2m.config;

import jakarta.annotation.Priority;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;

/**
 * What Quarkus' OIDC client needs for {@code private_key_jwt} and cannot read from a key file itself: the assertion's
 * algorithm and, for a JWK, its {@code kid}. application.properties reads them as {@code api.caller.key.algorithm},
 * {@code api.caller.key.id} (from {@code TEST_CLIENT_KEY_FILE}) and {@code api.registrar.key.*} (from
 * {@code REGISTRAR_CLIENT_KEY_FILE}); this interceptor answers those names from the file ({@link ClientKeyFile}).
 * A file that cannot be read gives no answer here: {@link SettingsCheck} reports it, in one line, naming the setting.
 * Registered in {@code META-INF/services/io.smallrye.config.ConfigSourceInterceptor}.
 */
@RegisterForReflection // instantiated by SmallRye Config through ServiceLoader
@Priority(Priorities.LIBRARY + 240)
public class ClientKeySettings implements ConfigSourceInterceptor {

    private static final String CALLER = "api.caller.key.";
    private static final String REGISTRAR = "api.registrar.key.";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        String setting = name.startsWith(CALLER) ? Setting.TEST_CLIENT_KEY_FILE.name()
                : name.startsWith(REGISTRAR) ? Setting.REGISTRAR_CLIENT_KEY_FILE.name() : null;
        if (setting == null) {
            return context.proceed(name);
        }
        ConfigValue file = context.proceed(setting);
        if (file == null || file.getValue() == null || file.getValue().isBlank()) {
            return null;
        }
        ClientKeyFile key;
        try {
            key = ClientKeyFile.read(setting, file.getValue().strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
        String value = name.endsWith(".algorithm") ? key.algorithm() : name.endsWith(".id") ? key.keyId() : null;
        return value == null ? null : ConfigValue.builder().withName(name).withValue(value).build();
    }
}
