package com.example.m2m.testsupport.providers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.lang.JoseException;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * An {@link OktaOrg} with the apps an Okta admin creates for this service, and the service configured with exactly
 * the README's Okta row: {@code ISSUER} the custom server, {@code AUDIENCE=api://default}; the caller's app; the
 * registrar, a service app at the org server with a key ({@code private_key_jwt}, the only method Okta takes there)
 * and the {@code okta.clients.register} grant. {@link #REGISTRATION_METADATA} is set unless the test says otherwise
 * (init arg {@code metadata=false}). Injected into a field of type {@link Okta}.
 */
public class OktaResource implements QuarkusTestResourceLifecycleManager {

    public static final String CALLER_ID = "0oaCaller1a2b3c4d5e6f";
    public static final String CALLER_SECRET = "okta-caller-secret-4f1b9c0d7e2a";
    public static final String ADMIN_ID = "0oaAdmin1a2b3c4d5e6f7";
    public static final String ADMIN_SECRET = "okta-admin-secret-88d2c6e1b7";
    public static final String REGISTRAR_ID = "0oaRegistrar1a2b3c4d5";
    public static final String REGISTRATION_METADATA = "{\"application_type\":\"service\"}";

    /** What a test gets: the org, and the registrar's private key (to check it is never logged). */
    public record Okta(OktaOrg org, RsaJsonWebKey registrarKey) {
    }

    private Okta okta;
    private boolean metadata = true;

    @Override
    public void init(Map<String, String> initArgs) {
        metadata = !"false".equals(initArgs.get("metadata"));
    }

    @Override
    public Map<String, String> start() {
        OktaOrg org = new OktaOrg();
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId("registrar-key-1");
            Path file = Files.createTempFile("okta-registrar", ".jwk.json");
            Files.writeString(file, key.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
            file.toFile().deleteOnExit();
            okta = new Okta(org, key);
            org.addServiceApp(CALLER_ID, CALLER_SECRET, Set.of("clients:register"));
            org.addServiceApp(ADMIN_ID, ADMIN_SECRET, Set.of("admin:messages"));
            org.addOrgServiceApp(REGISTRAR_ID, key.getPublicKey(), Set.of(OktaOrg.REGISTER_SCOPE));
            Map<String, String> settings = new LinkedHashMap<>();
            // The README's Okta row, word for word (the imitation's host in place of https://<org>.okta.com).
            settings.put("ISSUER", org.customIssuer());
            settings.put("AUDIENCE", OktaOrg.CUSTOM_AUDIENCE);
            settings.put("TEST_CLIENT_ID", CALLER_ID);
            settings.put("TEST_CLIENT_SECRET", CALLER_SECRET);
            settings.put("REGISTRATION_ENABLED", "true");
            settings.put("REGISTRAR_ISSUER", org.orgIssuer());
            settings.put("REGISTRAR_SCOPES", OktaOrg.REGISTER_SCOPE);
            settings.put("REGISTRAR_CLIENT_ID", REGISTRAR_ID);
            settings.put("REGISTRAR_CLIENT_KEY_FILE", file.toString());
            if (metadata) {
                settings.put("REGISTRATION_METADATA", REGISTRATION_METADATA);
            }
            return settings;
        } catch (JoseException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(okta, new TestInjector.MatchesType(Okta.class));
    }

    @Override
    public void stop() {
        if (okta != null) {
            okta.org().close();
        }
    }
}
