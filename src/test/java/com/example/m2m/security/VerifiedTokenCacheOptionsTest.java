package com.example.m2m.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.oidc.runtime.OidcTenantConfig;

/**
 * The guard against a cache that silently skips a check: a hit of the verified-token cache skips Quarkus' whole
 * verification, so every option of Quarkus' token verification must be known here as either
 * <ul>
 * <li><b>cache-safe</b>: checked when the token is first verified, and the same for every later request with that
 * exact token while its entry lives (the entry ends at the token's {@code exp}, at {@code iat + age}, and when its key
 * leaves the issuer's key set), or not on the bearer-token path at all; or</li>
 * <li><b>turns the cache off</b> ({@link VerifiedTokenCache#offReason}): then setting it must turn the cache off,
 * which this test shows for each one.</li>
 * </ul>
 * The options are read by reflection from Quarkus' {@code OidcTenantConfig} and its token-verification groups:
 * when a Quarkus upgrade adds one, {@link #everyVerificationOptionIsClassified} fails until someone decides which it
 * is (and, if it turns the cache off, adds it to {@code offReason}).
 */
class VerifiedTokenCacheOptionsTest {

    /** The groups whose every option is classified, by the path Quarkus' properties give them. */
    private static final Map<String, Class<?>> GROUPS = Map.of(
            "", OidcTenantConfig.class,
            "token.", OidcTenantConfig.Token.class,
            "token.binding.", OidcTenantConfig.Binding.class,
            "roles.", OidcTenantConfig.Roles.class,
            "jwks.", OidcTenantConfig.Jwks.class,
            "certificate-chain.", OidcTenantConfig.CertificateChain.class);

    /** Options checked at the first verification and constant for the token's cached life, or off the bearer path. */
    static final Map<String, String> CACHE_SAFE = Map.ofEntries(
            Map.entry("tenant-id", "names the tenant; entries are keyed to the tenant that verified them"),
            Map.entry("tenant-enabled", "counted: a second enabled tenant turns the cache off"),
            Map.entry("application-type", "the bearer-token path is the same for service and hybrid"),
            Map.entry("authorization-path", "code flow only"),
            Map.entry("user-info-path", "UserInfo is only asked with verify-access-token-with-user-info (off)"),
            Map.entry("introspection-path", "where introspection goes; introspected entries live as long as the answer"),
            Map.entry("jwks-path", "where keys come from; a hit needs its key in the current key set"),
            Map.entry("end-session-path", "code flow only"),
            Map.entry("introspection-credentials", "how the service authenticates to introspection"),
            Map.entry("roles", "a group: below"),
            Map.entry("resource-metadata", "RFC 9728 metadata, not verification"),
            Map.entry("token", "a group: below"),
            Map.entry("logout", "code flow only"),
            Map.entry("certificate-chain", "a group: below"),
            Map.entry("authentication", "code flow only"),
            Map.entry("code-grant", "code flow only"),
            Map.entry("token-state-manager", "code flow only"),
            Map.entry("allow-token-introspection-cache", "Quarkus' own cache of introspection answers"),
            Map.entry("allow-user-info-cache", "Quarkus' own cache of UserInfo"),
            Map.entry("cache-user-info-in-idtoken", "code flow only"),
            Map.entry("jwks", "a group: below"),
            Map.entry("provider", "a preset of other options, each classified here"),
            Map.entry("token.issuer", "checked at verification; fixed"),
            Map.entry("token.audience", "checked at verification; fixed"),
            Map.entry("token.subject-required", "checked at verification; fixed"),
            Map.entry("token.required-claims", "checked at verification; a token's claims never change"),
            Map.entry("token.token-type", "checked at verification; fixed"),
            Map.entry("token.lifespan-grace", "lets Quarkus accept a token past exp; an entry ends at exp (stricter)"),
            Map.entry("token.age", "an entry ends at iat + age (maxAgeSeconds)"),
            Map.entry("token.issued-at-required", "checked at verification; fixed"),
            Map.entry("token.principal-claim", "the identity is built once, at verification"),
            Map.entry("token.refresh-expired", "code flow only"),
            Map.entry("token.refresh-token-time-skew", "code flow only"),
            Map.entry("token.forced-jwk-refresh-interval", "when keys are fetched; a hit needs its key in the set"),
            Map.entry("token.signature-algorithm", "checked at verification; fixed"),
            Map.entry("token.decryption-key-location", "encrypted tokens are refused by the rules (one signed JWT)"),
            Map.entry("token.decrypt-id-token", "code flow only"),
            Map.entry("token.decrypt-access-token", "encrypted tokens are refused by the rules (one signed JWT)"),
            Map.entry("token.binding", "a group: below"),
            Map.entry("roles.role-claim-path", "the identity's roles are built once, at verification"),
            Map.entry("roles.role-claim-separator", "the identity's roles are built once, at verification"),
            Map.entry("roles.source", "the identity's roles are built once, at verification"),
            Map.entry("jwks.resolve-early", "when keys are fetched"),
            Map.entry("jwks.cache-size", "Quarkus' own cache of key sets"),
            Map.entry("jwks.cache-time-to-live", "Quarkus' own cache of key sets"),
            Map.entry("jwks.clean-up-timer-interval", "Quarkus' own cache of key sets"),
            Map.entry("jwks.try-all", "which key is tried; the one that verified is the entry's key"),
            Map.entry("certificate-chain.leaf-certificate-name", "only with certificate-chain.trust-store-file (off)"),
            Map.entry("certificate-chain.trust-store-password", "only with certificate-chain.trust-store-file (off)"),
            Map.entry("certificate-chain.trust-store-cert-alias", "only with certificate-chain.trust-store-file (off)"),
            Map.entry("certificate-chain.trust-store-file-type", "only with certificate-chain.trust-store-file (off)"));

    /** Options that a hit would skip: each value is one that must turn the cache off. */
    static final Map<String, Object> TURNS_THE_CACHE_OFF = Map.ofEntries(
            Map.entry("tenant-paths", Optional.of(List.of("/api/*"))),
            Map.entry("public-key", Optional.of("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA")),
            Map.entry("certificate-chain.trust-store-file", Optional.of(java.nio.file.Path.of("truststore.p12"))),
            Map.entry("token.header", Optional.of("X-Token")),
            Map.entry("token.authorization-scheme", "DPoP"),
            Map.entry("token.allow-jwt-introspection", true),
            Map.entry("token.require-jwt-introspection-only", true),
            Map.entry("token.allow-opaque-token-introspection", true),
            Map.entry("token.customizer-name", Optional.of("azure-access-token-customizer")),
            Map.entry("token.verify-access-token-with-user-info", Optional.of(true)),
            Map.entry("token.binding.certificate", true));

    @Test
    void everyVerificationOptionIsClassified() {
        Set<String> unclassified = new TreeSet<>();
        GROUPS.forEach((prefix, group) -> {
            for (Method option : group.getDeclaredMethods()) {
                if (Modifier.isStatic(option.getModifiers()) || option.isDefault() || option.getParameterCount() > 0) {
                    continue;
                }
                String path = prefix + property(option.getName());
                if (!CACHE_SAFE.containsKey(path) && !TURNS_THE_CACHE_OFF.containsKey(path)) {
                    unclassified.add("quarkus.oidc." + path);
                }
            }
        });
        assertEquals(Set.of(), unclassified, "Quarkus options the verified-token cache does not know: classify each in"
                + " this test as cache-safe (why) or as turning the cache off (and make VerifiedTokenCache.offReason"
                + " turn it off)");
    }

    @Test
    void theDefaultsKeepTheCacheOn() {
        assertNull(VerifiedTokenCache.offReason(2000, tenant(Map.of()), 1, false));
    }

    static Stream<Arguments> optionsThatTurnTheCacheOff() {
        return TURNS_THE_CACHE_OFF.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "quarkus.oidc.{0}")
    @MethodSource("optionsThatTurnTheCacheOff")
    void eachOptionAHitWouldSkipTurnsTheCacheOff(String option, Object value) {
        String reason = VerifiedTokenCache.offReason(2000, tenant(Map.of(option, value)), 1, false);
        assertNotNull(reason, "quarkus.oidc." + option + " set, and the cache stays on");
    }

    /** {@code issuedAtRequired} -> {@code issued-at-required}, as Quarkus names the property. */
    private static String property(String method) {
        return method.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** A tenant configuration with Quarkus' defaults where it matters here, and {@code set} on top. */
    static OidcTenantConfig tenant(Map<String, Object> set) {
        return group(OidcTenantConfig.class, "", set);
    }

    private static <T> T group(Class<T> type, String prefix, Map<String, Object> set) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, (proxy, method, args) -> {
            String path = prefix + property(method.getName());
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("toString") ? path : method.invoke(set, args);
            }
            if (set.containsKey(path)) {
                return set.get(path);
            }
            Class<?> returns = method.getReturnType();
            if (returns == Optional.class) {
                return Optional.empty();
            }
            if (returns == OptionalInt.class) {
                return OptionalInt.empty();
            }
            if (returns == boolean.class) {
                return path.equals("tenant-enabled") || path.equals("token.subject-required") ? true : false;
            }
            if (returns == String.class) {
                return path.equals("token.authorization-scheme") ? "Bearer" : null;
            }
            if (returns == int.class) {
                return 0;
            }
            if (returns == Duration.class) {
                return Duration.ofMinutes(10);
            }
            if (returns == Map.class) {
                return Map.of();
            }
            if (returns == List.class) {
                return new ArrayList<>();
            }
            if (returns.isInterface() && returns.getName().startsWith("io.quarkus.oidc")) {
                return group(returns, path + ".", set);
            }
            return null;
        }));
    }
}
