package com.example.m2m.testsupport;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link KeycloakResource}, with the service's registration client authenticating by {@code private_key_jwt}: a JWK
 * file (EC P-256, its kid inside) and no secret anywhere.
 */
public class KeyedRegistrarResource extends KeycloakResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> settings = new HashMap<>(super.start());
        settings.remove("REGISTRAR_CLIENT_SECRET");
        settings.put("REGISTRAR_CLIENT_ID", Keycloak.KEYED_REGISTRAR_ID);
        settings.put("REGISTRAR_CLIENT_KEY_FILE", Keycloak.KEYED_REGISTRAR_KEY_FILE);
        return settings;
    }
}
