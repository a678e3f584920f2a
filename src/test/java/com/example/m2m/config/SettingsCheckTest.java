package com.example.m2m.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** What {@code Main} reports before Quarkus starts: one line per bad value, and a caller without an issuer. */
class SettingsCheckTest {

    @Test
    void goodOrAbsentValuesAreNoProblem() {
        assertEquals(List.of(), SettingsCheck.problems(Map.<String, String> of()::get, false, false));
        assertEquals(List.of(), SettingsCheck.problems(Map.of("ISSUER", " https://kc.example/r ", "AUDIENCE_CHECK",
                "FALSE", "ALLOWED_CLIENTS", "any", "TOKEN_CACHE_SIZE", "")::get, false, false));
    }

    @Test
    void eachBadValueIsOneLine() {
        List<String> problems = SettingsCheck.problems(Map.of("ISSUER", "https://kc.example/r",
                "REQUIRE_RFC9068", "yes", "TOKEN_CACHE_SIZE", "many")::get, false, false);
        assertEquals(List.of("REQUIRE_RFC9068 must be `true` or `false` (got 'yes')",
                "TOKEN_CACHE_SIZE must be a whole number, 0 or more (got 'many')"), problems);
    }

    @Test
    void theCallerNeedsIssuerOrDiscover() {
        assertEquals(List.of(IssuerSettingCheck.CALLER_NOT_SET),
                SettingsCheck.problems(Map.<String, String> of()::get, true, false));
        assertEquals(List.of(), SettingsCheck.problems(Map.<String, String> of()::get, true, true));
        assertEquals(List.of(), SettingsCheck.problems(Map.of("ISSUER", "https://kc.example/r")::get, true, false));
    }

    @Test
    void aSecretAndAKeyFileForOneClientIsOneLineNamingBoth() {
        assertEquals(List.of("REGISTRAR_CLIENT_SECRET and REGISTRAR_CLIENT_KEY_FILE are both set: a client "
                + "authenticates with one of them"), SettingsCheck.problems(Map.of("REGISTRAR_CLIENT_SECRET", "s",
                        "REGISTRAR_CLIENT_KEY_FILE", "src/test/keycloak/registrar-key.jwk.json")::get, false, false));
        assertEquals(List.of(), SettingsCheck.problems(Map.of("REGISTRAR_CLIENT_SECRET", " ",
                "REGISTRAR_CLIENT_KEY_FILE", "src/test/keycloak/registrar-key.jwk.json")::get, false, false));
    }

    @Test
    void severalIssuersAreFineButNotTheSameOneTwice() {
        assertEquals(List.of(), SettingsCheck.problems(
                Map.of("ISSUER", "https://a.example/oauth2/default, https://kc.example/realms/m2m")::get, false, false));
        assertEquals(List.of("ISSUER lists https://a.example/x/ twice"), SettingsCheck.problems(
                Map.of("ISSUER", "https://a.example/x,https://a.example/x/")::get, false, false));
    }

    @Test
    void checksAtTheIssuerNeedTheIntrospectionClient() {
        List<String> problems = SettingsCheck.problems(Map.of("REVOCATION_CHECK", "true", "INTROSPECT_JWT", "TRUE",
                "INTROSPECTION_CLIENT_ID", "api://messages")::get, false, false);
        assertEquals(2, problems.size(), problems.toString());
        assertEquals(true, problems.get(0).startsWith("REVOCATION_CHECK=true needs INTROSPECTION_CLIENT_SECRET"));
        assertEquals(List.of(), SettingsCheck.problems(Map.of("REVOCATION_CHECK", "true", "INTROSPECTION_CLIENT_ID",
                "api://messages", "INTROSPECTION_CLIENT_SECRET", "s")::get, false, false));
    }

    /**
     * Cognito's row: no {@code aud} in its access tokens, so {@code AUDIENCE_CHECK=false}, which needs the list of
     * app clients that may call (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html:
     * "the client_id claim in an access token should match the app client ID"); {@code any} is the explicit way out.
     */
    @Test
    void noAudienceCheckNeedsAllowedClients() {
        List<String> problems = SettingsCheck.problems(Map.of("ISSUER",
                "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Xk4mP9qRt", "AUDIENCE_CHECK", "false",
                "SCOPE_PREFIX", "m2m-api/")::get, false, false);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("AUDIENCE_CHECK=false needs ALLOWED_CLIENTS"), problems.get(0));
        for (String allowed : List.of("any", "5q8kc0t2mfn7v3s1hd9jbl4re6,2a7fp9xw4nd1ku6hc3mzq8tb0v")) {
            assertEquals(List.of(), SettingsCheck.problems(Map.of("ISSUER",
                    "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Xk4mP9qRt", "AUDIENCE_CHECK", "false",
                    "ALLOWED_CLIENTS", allowed, "SCOPE_PREFIX", "m2m-api/")::get, false, false), allowed);
        }
        // The caller (call) has no audience to check: nothing to say about it there.
        assertEquals(List.of(), SettingsCheck.problems(Map.of("ISSUER",
                "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Xk4mP9qRt", "AUDIENCE_CHECK", "false")::get,
                true, false));
    }

    @Test
    void theTlsSettingsAreReadableFilesThatGoInPairs() {
        String cert = com.example.m2m.testsupport.TestCertificates.file("server");
        String key = com.example.m2m.testsupport.TestCertificates.file("server-key");
        assertEquals(List.of(), SettingsCheck.problems(Map.of("TLS_CERT_FILE", cert, "TLS_KEY_FILE", key,
                "TLS_CLIENT_CA_FILE", com.example.m2m.testsupport.TestCertificates.file("ca"))::get, false, false));
        assertEquals(List.of("TLS_CERT_FILE and TLS_KEY_FILE go together: a certificate and its private key"),
                SettingsCheck.problems(Map.of("TLS_CERT_FILE", cert)::get, false, false));
        assertEquals(List.of("TLS_CERT_FILE must be a readable PEM file holding X.509 certificates"),
                SettingsCheck.problems(Map.of("TLS_CERT_FILE", key, "TLS_KEY_FILE", key)::get, false, false));
        assertEquals(List.of("TEST_CLIENT_CERT_KEY_FILE must be a readable PEM file holding a private key (PKCS#8, or"
                + " RSA or EC)"), SettingsCheck.problems(Map.of("TEST_CLIENT_CERT_FILE", cert,
                        "TEST_CLIENT_CERT_KEY_FILE", "/nonexistent/key.pem")::get, true, true));
    }

    @Test
    void aForwardedCertificateNeedsItsProxies() {
        assertEquals(List.of("CLIENT_CERT_HEADER needs CLIENT_CERT_PROXIES: the addresses of the proxies that set it"),
                SettingsCheck.problems(Map.of("CLIENT_CERT_HEADER", "ssl-client-cert")::get, false, false));
        assertEquals(List.of(), SettingsCheck.problems(Map.of("CLIENT_CERT_HEADER", "ssl-client-cert",
                "CLIENT_CERT_PROXIES", "10.0.0.0/8, 127.0.0.1")::get, false, false));
        assertEquals(List.of("CLIENT_CERT_PROXIES must be IP addresses or CIDR ranges, comma-separated (e.g."
                + " `10.0.0.0/8,127.0.0.1`) (got 'ingress.example')"), SettingsCheck.problems(Map.of(
                        "CLIENT_CERT_HEADER", "ssl-client-cert", "CLIENT_CERT_PROXIES", "ingress.example")::get,
                        false, false));
        assertEquals(List.of("CLIENT_CERT_HEADER must be an HTTP header name, e.g. `ssl-client-cert` or"
                + " `x-forwarded-client-cert` (got 'ssl client cert')"), SettingsCheck.problems(Map.of(
                        "CLIENT_CERT_HEADER", "ssl client cert", "CLIENT_CERT_PROXIES", "10.0.0.1")::get, false, false));
    }
}
