package com.example.m2m.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;

/**
 * The TLS settings as Quarkus' TLS registry ({@code quarkus.tls.*}) and the clients that use it read them. A source of
 * properties rather than lines in application.properties because a TLS configuration exists as soon as any of its
 * properties is named, and a named one that exists without its files (an unset setting) stops Quarkus: each property
 * below is given only when its setting is set.
 * <ul>
 * <li>{@code TLS_CERT_FILE}, {@code TLS_KEY_FILE}: the configuration {@code api}, which the API's HTTP server takes
 * (HTTPS on the SSL port, client certificates requested: {@code quarkus.http.ssl.client-auth=request});
 * {@code TLS_CLIENT_CA_FILE} its trust store. A named configuration, not the default one: the management interface
 * and clients without a configuration of their own take the default, and would then serve health on HTTPS (the
 * Kubernetes probes ask plain HTTP) and trust only the client CAs;</li>
 * <li>{@code TRUSTED_CA_FILE}: the configuration {@code issuer}, for the service's OIDC tenants and the registrar's
 * client (Quarkus' OIDC verifies the issuer's certificate and host name with it);</li>
 * <li>{@code TEST_CLIENT_CERT_FILE}, {@code TEST_CLIENT_CERT_KEY_FILE} (and {@code TRUSTED_CA_FILE}): the configuration
 * {@code caller}, for the caller's OIDC client (its token requests) and its REST client (its calls to the API).</li>
 * </ul>
 * Registered in {@code META-INF/services/io.smallrye.config.ConfigSourceFactory}; the files' checks are
 * {@link SettingsCheck}'s.
 */
@RegisterForReflection // instantiated by SmallRye Config through ServiceLoader
public class TlsSettings implements ConfigSourceFactory {

    /** The caller's certificate, when it has one: what {@code client/MtlsEndpointAliases} asks. */
    public static final String CALLER_CERTIFICATE = "quarkus.tls.caller.key-store.pem.caller.cert";

    /** Below application.properties (250): an explicit {@code quarkus.tls.*} there or in the environment wins. */
    private static final int ORDINAL = 200;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        return List.of(new MapBackedConfigSource("TLS settings", properties(name -> value(context, name)), ORDINAL) {
        });
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    /** The Quarkus properties the TLS settings stand for; {@code setting} gives a setting's value, or null. */
    static Map<String, String> properties(Function<String, String> setting) {
        Map<String, String> properties = new LinkedHashMap<>();
        String cert = setting.apply(Setting.TLS_CERT_FILE.name());
        String key = setting.apply(Setting.TLS_KEY_FILE.name());
        if (cert != null && key != null) {
            properties.put("quarkus.tls.api.key-store.pem.api.cert", cert);
            properties.put("quarkus.tls.api.key-store.pem.api.key", key);
            properties.put("quarkus.http.tls-configuration-name", "api");
            properties.put("api.mtls.enabled", "true"); // the RFC 9728 metadata says so
            String clientCas = setting.apply(Setting.TLS_CLIENT_CA_FILE.name());
            if (clientCas != null) {
                properties.put("quarkus.tls.api.trust-store.pem.certs", clientCas);
            }
        }
        if (setting.apply(Setting.CLIENT_CERT_HEADER.name()) != null
                && setting.apply(Setting.CLIENT_CERT_PROXIES.name()) != null) {
            properties.put("api.mtls.enabled", "true"); // certificates arrive from the proxies
        }
        String trusted = setting.apply(Setting.TRUSTED_CA_FILE.name());
        if (trusted != null) {
            properties.put("quarkus.tls.issuer.trust-store.pem.certs", trusted);
            properties.put("quarkus.oidc.tls.tls-configuration-name", "issuer");
            properties.put("quarkus.oidc-client.registrar.tls.tls-configuration-name", "issuer");
        }
        String callerCert = setting.apply(Setting.TEST_CLIENT_CERT_FILE.name());
        String callerKey = setting.apply(Setting.TEST_CLIENT_CERT_KEY_FILE.name());
        boolean callerIdentity = callerCert != null && callerKey != null;
        if (callerIdentity) {
            properties.put(CALLER_CERTIFICATE, callerCert);
            properties.put("quarkus.tls.caller.key-store.pem.caller.key", callerKey);
        }
        if (trusted != null) {
            properties.put("quarkus.tls.caller.trust-store.pem.certs", trusted);
        }
        if (callerIdentity || trusted != null) {
            properties.put("quarkus.oidc-client.tls.tls-configuration-name", "caller");
            properties.put("quarkus.rest-client.messages-api.tls-configuration-name", "caller");
        }
        return properties;
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        String text = value == null ? null : value.getValue();
        return text == null || text.isBlank() ? null : text.strip();
    }
}
