package com.example.m2m;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import com.example.m2m.client.CallCommand;
import com.example.m2m.config.RequiredSettings;
import com.example.m2m.config.Setting;
import com.example.m2m.config.SettingsCheck;
import com.example.m2m.client.IssuerDiscovery;

import io.quarkus.runtime.Quarkus;
import io.smallrye.config.DotEnvConfigSourceProvider;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Runs the service, or with the argument {@code call} the machine caller that the original sample's
 * {@code node test.js} was: {@code java -jar target/quarkus-app/quarkus-run.jar call [--discover] [--check [--json]] [path]}. With
 * {@code --discover} the caller asks the API which issuer to use (RFC 9728), and uses it only if it is {@code ISSUER}
 * or one of {@code TRUSTED_ISSUERS}: the caller never sends its credentials to a server it was not told to trust.
 */
@QuarkusMain
public class Main {

    static final String DISCOVER = "--discover";

    /**
     * The settings' rules, once, before Quarkus starts: each bad value is one line on stderr, and nothing starts. (Quarkus
     * would report a bad value once per property that reads it, or as a failure to load some property the user never
     * set.) The same sources as Quarkus': system properties, the environment, {@code .env} in the working directory.
     * Returns the settings as the service uses them (trimmed, empty = unset), for what runs before Quarkus.
     */
    private static Function<String, String> checkedSettings(boolean caller, boolean discover, boolean check) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultSources()
                .withSources(new DotEnvConfigSourceProvider()).build();
        Function<String, String> raw = name -> config.getConfigValue(name).getValue();
        List<String> problems = new ArrayList<>(SettingsCheck.problems(raw, caller, discover));
        if (check) {
            // `call --check` is the service too: its rules as well as the caller's.
            SettingsCheck.problems(raw, false, discover).stream().filter(p -> !problems.contains(p))
                    .forEach(problems::add);
        }
        if (problems.isEmpty() && (!caller || check) && (isBlank(raw.apply("ISSUER")) || isBlank(raw.apply("AUDIENCE")))) {
            // ISSUER or AUDIENCE may be missing in prod: one line each (Quarkus would print them under a header).
            // Only asked then: reading application.properties once more is start-up time a complete setup never needs.
            problems.addAll(RequiredSettings.missing(raw.apply("quarkus.profile")));
        }
        if (!problems.isEmpty()) {
            problems.forEach(System.err::println);
            System.exit(1);
        }
        return name -> Setting.named(name).orElseThrow().normalise(raw.apply(name));
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    public static void main(String... args) {
        boolean caller = args.length > 0 && CallCommand.NAME.equals(args[0]);
        boolean check = caller && List.of(args).contains(CallCommand.CHECK);
        Function<String, String> settings = checkedSettings(caller, caller && List.of(args).contains(DISCOVER), check);
        if (!caller) {
            Quarkus.run(args);
            return;
        }
        if (check) {
            checkMode();
        } else {
            callerMode();
        }
        List<String> arguments = new ArrayList<>(List.of(args));
        if (arguments.remove(DISCOVER)) {
            // Only the API's URL is given: ask the API for its issuer (RFC 9728), and use it only if trusted.
            String apiUrl = Optional.ofNullable(settings.apply("API_URL")).orElse("http://localhost:8080");
            try {
                System.setProperty("ISSUER", IssuerDiscovery.issuerOf(apiUrl,
                        IssuerDiscovery.trustedIssuers(settings.apply("ISSUER"), settings.apply("TRUSTED_ISSUERS"))));
            } catch (IssuerDiscovery.NotTrusted e) {
                System.err.println(e.getMessage());
                System.exit(CallCommand.UNTRUSTED);
            } catch (IOException | RuntimeException e) {
                System.err.println("Could not discover the authorization server of " + apiUrl + ": " + e.getMessage());
                System.exit(CallCommand.UNREACHABLE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                System.exit(CallCommand.UNREACHABLE);
            }
        }
        Quarkus.run(CallCommand.class, arguments.toArray(String[]::new));
    }

    /*
     * Why system properties and not a `%call` configuration profile: a profiled value in application.properties
     * (ordinal 250) loses to the same property unprofiled in the environment (ordinal 300; SmallRye Config resolves
     * profiles per source). A user who runs the service with QUARKUS_HTTP_PORT=8080 or QUARKUS_LOG_LEVEL=DEBUG in
     * their .env would then get a caller that binds 8080 beside the running service, or a check whose stdout is a log.
     * System properties (ordinal 400) are what a one-shot mode must hold whatever the environment says.
     */

    /** {@code call}: the caller alone. */
    private static void callerMode() {
        oneShot("WARN");
        // The caller takes no port of the service's (the service it calls may hold 8080 and 9000 here).
        System.setProperty("quarkus.http.host-enabled", "false");
        // The caller verifies no tokens: the service's AUDIENCE requirement is not its concern.
        System.setProperty("api.token.audience-check", "false");
        // Micrometer warns about meters the caller's REST client registers twice; nothing a caller can act on.
        System.setProperty("quarkus.log.category.\"io.micrometer\".level", "ERROR");
        System.setProperty("quarkus.log.category.\"io.quarkus.oidc\".level", "ERROR");
        System.setProperty(CallCommand.CALLER_MODE, "true");
    }

    /**
     * {@code call --check}: the service and the caller in one process, with the same settings. The service listens on
     * a free loopback port of its own: the check calls it with the caller's token, so that the service's own code gives
     * the verdict. The findings are the output; the log says nothing below ERROR.
     */
    private static void checkMode() {
        oneShot("ERROR");
        System.setProperty("quarkus.http.host", "127.0.0.1");
        System.setProperty("quarkus.http.port", "0");
        System.setProperty("quarkus.log.category.\"io.micrometer\".level", "OFF");
        System.setProperty("quarkus.log.category.\"io.quarkus.oidc\".level", "OFF");
        System.setProperty("quarkus.log.category.\"audit\".level", "OFF");
    }

    /**
     * What every one-shot run of the caller needs: its OIDC client on (the service itself needs none), health and
     * metrics on any free loopback port, no banner, and stdout for its answer alone (`call | jq` works): diagnostics go
     * to stderr, as plain text.
     */
    private static void oneShot(String logLevel) {
        System.setProperty("quarkus.oidc-client.client-enabled", "true");
        System.setProperty("quarkus.management.host", "127.0.0.1");
        System.setProperty("quarkus.management.port", "0");
        System.setProperty("quarkus.banner.enabled", "false");
        System.setProperty("quarkus.log.level", logLevel);
        System.setProperty("quarkus.log.console.stderr", "true");
        System.setProperty("quarkus.log.console.json.enabled", "false");
    }
}
