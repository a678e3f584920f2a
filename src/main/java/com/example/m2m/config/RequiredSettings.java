package com.example.m2m.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;

import io.quarkus.runtime.LaunchMode;
import io.smallrye.config.DotEnvConfigSourceProvider;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The settings the service cannot start without in prod ({@code ISSUER}, {@code AUDIENCE} or its explicit way out),
 * asked before Quarkus starts, so that each missing one is one line naming it. Quarkus would find the same problems
 * (the rules are {@link IssuerSettingCheck} and {@link AudienceSettingCheck}, which stay as the backstop wherever
 * {@code Main} does not run) but print them under a "Configuration validation failed:" header, indented.
 * <p>
 * The properties are read as Quarkus will read them: this build's application.properties in the active profile,
 * the environment, {@code .env} and system properties over it, through the same interceptors (SettingsCheck: an empty
 * value is unset). So a value given
 * as {@code -Dquarkus.oidc.token.audience=...} counts as much as {@code AUDIENCE}.
 */
public final class RequiredSettings {

    /** The properties whose reading runs the two rules. */
    private static final List<String> RULED = List.of("quarkus.oidc.auth-server-url", "quarkus.oidc.token.audience");

    private RequiredSettings() {
    }

    /**
     * One sentence per required setting that is missing, in the profile this process will run in: {@code profile} is
     * {@code quarkus.profile} as set (a comma-separated list), or null for the launch mode's (prod for the jar).
     */
    public static List<String> missing(String profile) {
        URL applicationProperties = RequiredSettings.class.getClassLoader().getResource("application.properties");
        if (applicationProperties == null) {
            return List.of(); // not where a class path has it: Quarkus' own check (the backstop) reports
        }
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultSources()
                .addDefaultInterceptors()
                .withSources(new DotEnvConfigSourceProvider())
                .withSources(applicationProperties(applicationProperties))
                .withInterceptors(new SettingsCheck(), new IssuerSettingCheck(), new AudienceSettingCheck())
                .withProfiles(profiles(profile))
                .build();
        List<String> missing = new ArrayList<>();
        for (String name : RULED) {
            try {
                config.getConfigValue(name);
            } catch (SettingProblem problem) {
                missing.add(problem.getMessage());
            }
        }
        return missing;
    }

    private static List<String> profiles(String profile) {
        String active = profile == null || profile.isBlank() ? launchProfile() : profile;
        return List.of(active.strip().split("\\s*,\\s*"));
    }

    /**
     * The launch mode's profile. In {@code quarkus:dev} this class is loaded by Quarkus' own class loader, whose
     * {@code LaunchMode} is not yet the dev mode's when {@code Main} runs (it reads NORMAL): dev it is then. The
     * packaged jar (Quarkus' runner class loader) and the native executable are prod.
     */
    private static String launchProfile() {
        boolean quarkusClassLoader = RequiredSettings.class.getClassLoader().getClass().getName()
                .equals("io.quarkus.bootstrap.classloading.QuarkusClassLoader");
        return quarkusClassLoader ? LaunchMode.DEVELOPMENT.getDefaultProfile() : LaunchMode.current().getDefaultProfile();
    }

    private static PropertiesConfigSource applicationProperties(URL url) {
        try {
            // Ordinal 250, as Quarkus gives application.properties in the class path.
            return new PropertiesConfigSource(url, 250);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
