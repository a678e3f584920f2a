package com.example.m2m.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

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
 * the rule stops start-up with one line naming the setting (a {@link SettingProblem}: the sentence, no class name),
 * instead of a stack trace about whichever Quarkus property the value ended up in.
 * <p>
 * {@link #problems} runs the same rules once, before Quarkus starts ({@code Main}), so that a bad value is reported in
 * exactly one line even though several Quarkus properties read it; this interceptor is the backstop for every other
 * way of starting (tests, dev mode) and does the trimming.
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
            throw new SettingProblem(e.getMessage());
        }
    }

    /**
     * Every problem with the settings' values, one line each, and for the caller a missing {@code ISSUER} without
     * {@code --discover}. {@code lookup} gives a setting's raw value (environment, system property or {@code .env}),
     * or null. (A missing {@code ISSUER} or {@code AUDIENCE} of the service is found where the prod profile reads
     * them: {@link IssuerSettingCheck}, {@link AudienceSettingCheck}; dev mode runs {@code Main} too, and needs neither.)
     */
    public static List<String> problems(Function<String, String> lookup, boolean caller, boolean discover) {
        List<String> problems = new ArrayList<>();
        boolean issuerSet = false;
        for (Setting setting : Setting.values()) {
            try {
                String value = setting.normalise(lookup.apply(setting.name()));
                issuerSet |= setting == Setting.ISSUER && value != null;
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        for (Setting[] pair : new Setting[][] { { Setting.TEST_CLIENT_SECRET, Setting.TEST_CLIENT_KEY_FILE },
                { Setting.REGISTRAR_CLIENT_SECRET, Setting.REGISTRAR_CLIENT_KEY_FILE } }) {
            if (isSet(lookup, pair[0]) && isSet(lookup, pair[1])) {
                problems.add(pair[0] + " and " + pair[1] + " are both set: a client authenticates with one of them");
            }
        }
        // A certificate without its key, or a key without its certificate, is no TLS identity.
        for (Setting[] pair : new Setting[][] { { Setting.TLS_CERT_FILE, Setting.TLS_KEY_FILE },
                { Setting.TEST_CLIENT_CERT_FILE, Setting.TEST_CLIENT_CERT_KEY_FILE } }) {
            if (isSet(lookup, pair[0]) != isSet(lookup, pair[1])) {
                problems.add(pair[0] + " and " + pair[1] + " go together: a certificate and its private key");
            }
        }
        if (problems.isEmpty() && issuerSet) {
            try {
                IssuerList.parse(lookup.apply(Setting.ISSUER.name())); // each a URL already; none twice, not too many
            } catch (ConfigurationException e) {
                problems.add(e.getMessage());
            }
        }
        // Checks at the issuer need the service's own client there: without it, every token would be refused.
        for (Setting check : new Setting[] { Setting.REVOCATION_CHECK, Setting.INTROSPECT_JWT }) {
            if ("true".equalsIgnoreCase(String.valueOf(lookup.apply(check.name())).strip())) {
                if (!isSet(lookup, Setting.INTROSPECTION_CLIENT_ID)) {
                    problems.add(check + "=true needs INTROSPECTION_CLIENT_ID and INTROSPECTION_CLIENT_SECRET: the"
                            + " service's own client at the issuer, allowed to introspect tokens");
                } else if (!isSet(lookup, Setting.INTROSPECTION_CLIENT_SECRET)) {
                    problems.add(check + "=true needs INTROSPECTION_CLIENT_SECRET, the secret of"
                            + " INTROSPECTION_CLIENT_ID");
                }
            }
        }
        if (!caller) {
            problems.addAll(serviceProblems(lookup));
        }
        if (problems.isEmpty() && caller && !discover && !issuerSet) {
            problems.add(IssuerSettingCheck.CALLER_NOT_SET);
        }
        return problems;
    }

    /** Settings of the service that are fine one by one but cannot work together. */
    private static List<String> serviceProblems(Function<String, String> lookup) {
        List<String> problems = new ArrayList<>();
        if (isFalse(lookup, Setting.AUDIENCE_CHECK) && !isSet(lookup, Setting.AUDIENCE)
                && !isSet(lookup, Setting.ALLOWED_CLIENTS)) {
            problems.add(AudienceSettingCheck.NO_ALLOWED_CLIENTS);
        }
        // A registrar that cannot get a token would send registrations without one: refused before anything runs.
        if ("true".equalsIgnoreCase(String.valueOf(lookup.apply(Setting.REGISTRATION_ENABLED.name())).strip())
                && (!isSet(lookup, Setting.REGISTRAR_CLIENT_ID) || !isSet(lookup, Setting.REGISTRAR_CLIENT_SECRET)
                        && !isSet(lookup, Setting.REGISTRAR_CLIENT_KEY_FILE))) {
            problems.add("REGISTRATION_ENABLED=true needs REGISTRAR_CLIENT_ID and REGISTRAR_CLIENT_SECRET (or"
                    + " REGISTRAR_CLIENT_KEY_FILE): the service's own client, allowed to register clients");
        }
        // A forwarded certificate believed from anyone would let any caller claim any certificate.
        if (isSet(lookup, Setting.CLIENT_CERT_HEADER) && !isSet(lookup, Setting.CLIENT_CERT_PROXIES)) {
            problems.add("CLIENT_CERT_HEADER needs CLIENT_CERT_PROXIES: the addresses of the proxies that set it");
        }
        return problems;
    }

    private static boolean isFalse(Function<String, String> lookup, Setting setting) {
        return "false".equalsIgnoreCase(String.valueOf(lookup.apply(setting.name())).strip());
    }

    private static boolean isSet(Function<String, String> lookup, Setting setting) {
        String value = lookup.apply(setting.name());
        return value != null && !value.isBlank();
    }
}
