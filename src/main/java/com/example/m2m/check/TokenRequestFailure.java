package com.example.m2m.check;

import java.util.Locale;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Why an issuer refused the caller's token request, in one line with the setting to change: the provider's answer
 * (RFC 6749 section 5.2: {@code error}, {@code error_description}; Entra ID adds {@code error_codes}) read the way
 * each provider words it. Quarkus' OIDC client hands the answer's body over as its exception's message.
 */
public final class TokenRequestFailure {

    static final String CREDENTIALS = "TEST_CLIENT_ID";

    private TokenRequestFailure() {
    }

    /** The finding for a refused token request whose answer body is {@code body} (may be anything). */
    public static Finding explain(String body, String scopeSetting) {
        String error = null;
        String description = null;
        try {
            JsonObject answer = new JsonObject(body == null ? "" : body.strip());
            error = answer.getValue("error") instanceof String e ? e : null;
            description = answer.getValue("error_description") instanceof String d ? d : null;
        } catch (DecodeException | ClassCastException notJson) {
            // not an OAuth error answer: quoted below as it came, cut short
        }
        if (error == null) {
            return Finding.fail("token request", "the issuer refused the token request: " + shortened(body),
                    CREDENTIALS, "check TEST_CLIENT_ID, TEST_CLIENT_SECRET (or TEST_CLIENT_KEY_FILE) and ISSUER");
        }
        String said = error + (description == null ? "" : ": " + shortened(description));
        String text = description == null ? "" : description.toLowerCase(Locale.ROOT);
        String message = "the issuer refused the token request (" + said + ")";
        // Each provider's words, from its own pages; the providers' imitations in the tests answer the same.
        if (text.contains("no audience parameter") || text.contains("requested audience")) {
            // Auth0: https://auth0.com/docs/get-started/authentication-and-authorization-flow/client-credentials-flow
            // Ory Hydra: the audience must be one the client may request.
            return Finding.fail("token request", message, "TEST_CLIENT_AUDIENCE",
                    "set TEST_CLIENT_AUDIENCE to the API's identifier at the provider (Auth0: the API's Identifier;"
                            + " Ory: an audience the client is allowed)");
        }
        if (text.contains("service not found")) {
            return Finding.fail("token request", message, "TEST_CLIENT_AUDIENCE",
                    "TEST_CLIENT_AUDIENCE names no API at the provider: use the API's Identifier exactly");
        }
        if (text.contains("is not authorized to access")) {
            return Finding.fail("token request", message, null, "authorize the client for the API at the provider"
                    + " (Auth0: the API's Machine to Machine Applications tab), with the scope " + scopeSetting);
        }
        if (text.contains("/.default") || text.contains("aadsts70011") || text.contains("aadsts1002012")) {
            // https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow
            return Finding.fail("token request", message, "TEST_CLIENT_SCOPE",
                    "Entra ID's client credentials take only <Application ID URI>/.default: set"
                            + " TEST_CLIENT_SCOPE=api://<your API's app id>/.default");
        }
        if (text.contains("aadsts500011") || text.contains("was not found in the tenant")) {
            return Finding.fail("token request", message, "TEST_CLIENT_SCOPE",
                    "the resource named in TEST_CLIENT_SCOPE (or TEST_CLIENT_RESOURCE) is not an API of this"
                            + " tenant: use the API app's Application ID URI");
        }
        if (text.contains("org authorization server")) {
            return Finding.fail("token request", message, "ISSUER",
                    "ISSUER is Okta's org authorization server: use a custom one, ISSUER=https://<org>/oauth2/default");
        }
        return switch (error) {
            case "invalid_client" -> Finding.fail("token request", message, CREDENTIALS,
                    "the issuer does not know TEST_CLIENT_ID or refused its credentials: check TEST_CLIENT_ID and"
                            + " TEST_CLIENT_SECRET (or TEST_CLIENT_KEY_FILE); a client registered for secrets in the"
                            + " form needs TEST_CLIENT_SECRET_METHOD=post");
            case "access_denied" -> text.contains("unauthorized")
                    ? Finding.fail("token request", message, CREDENTIALS, "the issuer refused the client's credentials:"
                            + " check TEST_CLIENT_ID and TEST_CLIENT_SECRET; Auth0 takes them in the form"
                            + " (TEST_CLIENT_SECRET_METHOD=post)")
                    : Finding.fail("token request", message, scopeSetting, "the client was not granted the scope "
                            + "it asked for: grant it at the provider, or ask for one it has (" + scopeSetting + ")");
            case "invalid_scope" -> Finding.fail("token request", message, scopeSetting,
                    "the scope asked for is unknown at the issuer or not granted to TEST_CLIENT_ID: grant it at the"
                            + " provider (Keycloak: the client's Client scopes; Okta: the access policy; Cognito: the"
                            + " app client's custom scopes, named <resource server id>/<scope>: set SCOPE_PREFIX to"
                            + " the id and its slash), or change " + scopeSetting);
            case "unauthorized_client", "unsupported_grant_type" -> Finding.fail("token request", message, null,
                    "the client may not use the client_credentials grant: enable it for TEST_CLIENT_ID at the"
                            + " provider (a service / machine-to-machine application)");
            case "invalid_dpop_proof", "use_dpop_nonce" -> Finding.fail("token request", message, "TEST_CLIENT_DPOP",
                    "the issuer refused the DPoP proof: check TEST_CLIENT_DPOP_KEY_FILE, or set TEST_CLIENT_DPOP=false");
            case "invalid_request" -> Finding.fail("token request", message, scopeSetting,
                    "the token request lacked something the issuer needs: a scope (" + scopeSetting + "), an audience"
                            + " (TEST_CLIENT_AUDIENCE) or a resource (TEST_CLIENT_RESOURCE), as its error says");
            default -> Finding.fail("token request", message, CREDENTIALS,
                    "check TEST_CLIENT_ID, TEST_CLIENT_SECRET (or TEST_CLIENT_KEY_FILE) and " + scopeSetting);
        };
    }

    static String shortened(String text) {
        if (text == null) {
            return "an empty answer";
        }
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
