package com.example.m2m.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.example.m2m.config.Setting;
import com.example.m2m.testsupport.PackagedService;
import com.example.m2m.testsupport.providers.Auth0TenantResource;
import com.example.m2m.testsupport.providers.CognitoUserPoolResource;
import com.example.m2m.testsupport.providers.EntraTenant;
import com.example.m2m.testsupport.providers.EntraTenantResource;
import com.example.m2m.testsupport.providers.HydraServerResource;
import com.example.m2m.testsupport.providers.OktaOrg;
import com.example.m2m.testsupport.providers.OktaResource;
import com.example.m2m.testsupport.providers.ProviderImitation;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.json.JsonObject;

/**
 * {@code call --check} of the packaged artifact, as a user runs it before deploying: against each provider's
 * imitation (testsupport/providers, each citing the provider's pages) with the README's row for it, it passes; with
 * each of the first-hour mistakes, it fails naming the setting to change. Never a secret or a token in its output.
 * (Keycloak's cases, against the real one: {@code CallCommandIT}.)
 */
class SetupCheckIT {

    /** A run: exit status, stdout (the report), stderr. */
    record Run(int exitCode, String stdout, String stderr) {
        String output() {
            return stdout + stderr;
        }
    }

    /** A provider imitation started with its README row: its settings, the imitation itself, and how to stop it. */
    record Provider(Map<String, String> settings, ProviderImitation server, QuarkusTestResourceLifecycleManager resource)
            implements AutoCloseable {
        @Override
        public void close() {
            resource.stop();
        }
    }

    static Provider start(QuarkusTestResourceLifecycleManager resource, Map<String, String> init) {
        resource.init(init);
        Map<String, String> settings = new LinkedHashMap<>(resource.start());
        settings.keySet().removeIf(name -> name.contains(".")); // Quarkus properties of the in-process tests
        ProviderImitation[] server = new ProviderImitation[1];
        resource.inject(new QuarkusTestResourceLifecycleManager.TestInjector() {
            @Override
            public void injectIntoFields(Object value, java.util.function.Predicate<java.lang.reflect.Field> which) {
                if (value instanceof ProviderImitation imitation) {
                    server[0] = imitation;
                } else if (value instanceof OktaResource.Okta okta) {
                    server[0] = okta.org();
                }
            }
        });
        return new Provider(settings, server[0], resource);
    }

    static Provider provider(String name) {
        return switch (name) {
            case "okta" -> start(new OktaResource(), Map.of());
            case "entra-v2" -> start(new EntraTenantResource(), Map.of("row", "v2"));
            // The README's v1.0 row: its token endpoint ignores scope and needs the resource (EntraV1Test).
            case "entra-v1" -> start(new EntraTenantResource(), Map.of("row", "v1", "TEST_CLIENT_RESOURCE",
                    "api://" + EntraTenantResource.API_ID));
            case "auth0" -> start(new Auth0TenantResource(), Map.of("row", "auth0"));
            case "cognito" -> start(new CognitoUserPoolResource(), Map.of());
            case "hydra" -> start(new HydraServerResource(), Map.of());
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** {@code call --check} with exactly these settings (none inherited from this machine, no .env). */
    static Run check(Map<String, String> settings, String... more) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("call", "--check"));
        args.addAll(List.of(more));
        Path dir = Files.createTempDirectory("check");
        ProcessBuilder builder = new ProcessBuilder(PackagedService.command(args.toArray(String[]::new)))
                .directory(dir.toFile()).redirectError(dir.resolve("stderr").toFile());
        for (Setting setting : Setting.values()) {
            builder.environment().remove(setting.name());
        }
        builder.environment().putAll(settings);
        Process process = builder.start();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the check did not finish");
        return new Run(process.exitValue(), stdout, Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8));
    }

    /** The settings of a provider's README row, with some changed ({@code ""}: removed). */
    static Map<String, String> with(Provider provider, Consumer<Map<String, String>> change) {
        Map<String, String> settings = new LinkedHashMap<>(provider.settings());
        change.accept(settings);
        settings.values().removeIf(String::isEmpty);
        return settings;
    }

    /** The check failed, and a failed line names {@code setting} with {@code fix} in its advice. */
    static void failsNaming(Run run, String setting, String fix) {
        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.stdout().contains("FAIL: "), run.output());
        assertTrue(run.stdout().lines().anyMatch(line -> line.contains("-> ") && line.contains(fix)),
                "no advice with '" + fix + "' in:\n" + run.output());
        assertTrue(run.stdout().contains(setting), run.output());
        neverATokenOrSecret(run);
    }

    static void neverATokenOrSecret(Run run, String... secrets) {
        // Every JWT, client assertion and DPoP proof starts with eyJ (a JSON header in base64url).
        assertFalse(run.output().contains("eyJ"), run.output());
        for (String secret : secrets) {
            assertFalse(run.output().contains(secret), "a secret in the output:\n" + run.output());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "okta", "entra-v2", "entra-v1", "auth0", "cognito", "hydra" })
    void theReadmeRowOfEachProviderPasses(String name) throws Exception {
        try (Provider provider = provider(name)) {
            Run run = check(provider.settings());
            System.out.println(name + ":\n" + run.stdout()); // the report in failsafe's output, for a person to read
            assertEquals(0, run.exitCode(), run.output());
            assertTrue(run.stdout().contains("PASS: the caller is served on GET /"), run.output());
            assertFalse(run.stdout().lines().anyMatch(line -> line.startsWith("  FAIL")), run.output());
            // What a person reads: the issuer found, the verdict of the service, the endpoints with yes/no.
            assertTrue(run.stdout().contains("ok    discovery"), run.output());
            assertTrue(run.stdout().contains("ok    verdict"), run.output());
            assertTrue(run.stdout().lines().anyMatch(line -> line.matches("  yes +GET +/ .*")), run.output());
            assertTrue(run.stdout().lines().anyMatch(line -> line.matches("  no +GET +/api/messages/admin .*")),
                    run.output());
            neverATokenOrSecret(run, provider.settings().get("TEST_CLIENT_SECRET"));
        }
    }

    @Test
    void theJsonReportSaysTheSameForScripts() throws Exception {
        try (Provider provider = provider("okta")) {
            Run passed = check(provider.settings(), "--json");
            assertEquals(0, passed.exitCode(), passed.output());
            JsonObject report = new JsonObject(passed.stdout());
            assertEquals(true, report.getBoolean("served"));
            assertTrue(report.getJsonArray("checks").stream().map(JsonObject.class::cast)
                    .noneMatch(check -> "fail".equals(check.getString("status"))), passed.stdout());

            Run failed = check(with(provider, s -> s.put("AUDIENCE", "api://another")), "--json");
            assertEquals(1, failed.exitCode(), failed.output());
            JsonObject refused = new JsonObject(failed.stdout());
            assertEquals(false, refused.getBoolean("served"));
            assertTrue(refused.getJsonArray("checks").stream().map(JsonObject.class::cast)
                    .anyMatch(check -> "fail".equals(check.getString("status"))
                            && "AUDIENCE".equals(check.getString("setting"))), failed.stdout());
            neverATokenOrSecret(failed, OktaResource.CALLER_SECRET);
        }
    }

    // ---- the first-hour mistakes, one each ----

    /** Entra ID v2.0 tokens carry the API's application id in aud; the App ID URI is a v1.0 audience. */
    @Test
    void entraAudienceGivenAsTheApplicationIdUri() throws Exception {
        try (Provider entra = provider("entra-v2")) {
            Run run = check(with(entra, s -> s.put("AUDIENCE", "api://" + EntraTenantResource.API_ID)));
            failsNaming(run, "AUDIENCE", "set AUDIENCE=" + EntraTenantResource.API_ID);
            assertTrue(run.stdout().contains("application (client) id"), run.output());
        }
    }

    /** The API app still issues v1.0 tokens (accessTokenAcceptedVersion null) while ISSUER is the v2.0 issuer. */
    @Test
    void entraV1TokensWhileIssuerIsV2() throws Exception {
        try (Provider entra = provider("entra-v1")) {
            Run run = check(with(entra, s -> s.put("ISSUER", ((EntraTenant) entra.server()).v2Authority())));
            failsNaming(run, "ISSUER", "accessTokenAcceptedVersion");
        }
    }

    /**
     * Cognito names scopes {@code <resource server>/<scope>}: the caller asks for {@code m2m-api/read:messages} (as
     * the console shows it), the service was not told the prefix, so GET / is a 403.
     */
    @Test
    void cognitoScopesWithoutTheirPrefix() throws Exception {
        try (Provider cognito = provider("cognito")) {
            Run run = check(with(cognito, s -> {
                s.put("SCOPE_PREFIX", "");
                s.put("TEST_CLIENT_SCOPE", CognitoUserPoolResource.RESOURCE_SERVER + "/read:messages");
            }));
            failsNaming(run, "SCOPE_PREFIX", "set SCOPE_PREFIX=" + CognitoUserPoolResource.RESOURCE_SERVER + "/");
            assertTrue(run.stdout().lines().anyMatch(line -> line.matches("  no +GET +/ .*403.*")), run.output());
        }
    }

    /** The client was never granted the scope it asks for (Okta: the access policy rejects it). */
    @Test
    void aScopeTheClientWasNeverGranted() throws Exception {
        try (Provider okta = provider("okta")) {
            Run run = check(with(okta, s -> s.put("DEFAULT_SCOPE", "admin:messages")));
            failsNaming(run, "DEFAULT_SCOPE", "not granted the scope");
            assertTrue(run.stdout().contains("access_denied"), run.output());
        }
    }

    /** Auth0 issues no token for an API without the audience parameter (and no default audience). */
    @Test
    void auth0WithoutTheAudienceParameter() throws Exception {
        try (Provider auth0 = provider("auth0")) {
            Run run = check(with(auth0, s -> s.put("TEST_CLIENT_AUDIENCE", "")));
            failsNaming(run, "TEST_CLIENT_AUDIENCE", "set TEST_CLIENT_AUDIENCE");
        }
    }

    /** Entra ID's v1.0 endpoint without the resource: a token for the directory's Graph, not for this API. */
    @Test
    void entraV1WithoutTheResource() throws Exception {
        try (Provider entra = provider("entra-v1")) {
            Run run = check(with(entra, s -> s.put("TEST_CLIENT_RESOURCE", "")));
            failsNaming(run, "TEST_CLIENT_RESOURCE", "TEST_CLIENT_RESOURCE=<Application ID URI>");
            assertTrue(run.stdout().contains("Microsoft Graph"), run.output());
        }
    }

    /** Entra ID's client credentials take only <resource>/.default as the scope. */
    @Test
    void entraScopeWithoutDefault() throws Exception {
        try (Provider entra = provider("entra-v2")) {
            Run run = check(with(entra, s -> s.put("TEST_CLIENT_SCOPE", "")));
            failsNaming(run, "TEST_CLIENT_SCOPE", "TEST_CLIENT_SCOPE=api://");
        }
    }

    /** The issuer's clock is ten minutes ahead of this machine's: its tokens look issued in the future. */
    @Test
    void clocksApart() throws Exception {
        try (Provider hydra = provider("hydra")) {
            hydra.server().clockOffset(600);
            Run run = check(hydra.settings());
            failsNaming(run, "lifetime", "NTP");
            assertTrue(run.stdout().contains("s in the future"), run.output());
        }
    }

    /** ISSUER is the Okta org authorization server (the org's root), not a custom one. */
    @Test
    void oktaOrgServerInsteadOfACustomOne() throws Exception {
        try (Provider okta = provider("okta")) {
            String org = ((OktaOrg) okta.server()).orgIssuer();
            Run run = check(with(okta, s -> s.put("ISSUER", org)));
            failsNaming(run, "ISSUER", "ISSUER=" + org + "/oauth2/default");
        }
    }

    /** A wrong secret: the provider's answer, and the settings to check. */
    @Test
    void aWrongSecret() throws Exception {
        try (Provider hydra = provider("hydra")) {
            Run run = check(with(hydra, s -> s.put("TEST_CLIENT_SECRET", "not-the-secret-at-all")));
            failsNaming(run, "TEST_CLIENT_SECRET", "check TEST_CLIENT_ID and TEST_CLIENT_SECRET");
            neverATokenOrSecret(run, "not-the-secret-at-all", HydraServerResource.CALLER_SECRET);
        }
    }
}
