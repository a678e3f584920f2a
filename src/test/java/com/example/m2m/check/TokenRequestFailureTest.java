package com.example.m2m.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each provider's refusal of a token request, as the provider words it (the bodies below are the ones its imitation
 * in testsupport/providers answers, each from the provider's pages), read into the setting to change.
 */
class TokenRequestFailureTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Auth0 without audience|{\"error\":\"access_denied\",\"error_description\":\"No audience parameter was provided, and no default audience has been configured\"}|TEST_CLIENT_AUDIENCE",
            "Auth0 unknown API|{\"error\":\"access_denied\",\"error_description\":\"Service not found: https://x\"}|TEST_CLIENT_AUDIENCE",
            "Auth0 wrong secret|{\"error\":\"access_denied\",\"error_description\":\"Unauthorized\"}|TEST_CLIENT_ID",
            "Entra scope without .default|{\"error\":\"invalid_scope\",\"error_description\":\"AADSTS1002012: The provided value for scope read:messages is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).\",\"error_codes\":[1002012]}|TEST_CLIENT_SCOPE",
            "Entra wrong secret|{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret provided.\",\"error_codes\":[7000215]}|TEST_CLIENT_ID",
            "Okta org server with a secret|{\"error\":\"invalid_client\",\"error_description\":\"Client Credentials requests to the Org Authorization Server must use the private_key_jwt token_endpoint_auth_method.\"}|ISSUER",
            "Okta scope rejected by policy|{\"error\":\"access_denied\",\"error_description\":\"Policy evaluation succeeded, but all the requested scopes were rejected.\"}|DEFAULT_SCOPE",
            "Cognito bare invalid_scope|{\"error\":\"invalid_scope\"}|DEFAULT_SCOPE",
            "Hydra audience not allowed|{\"error\":\"invalid_request\",\"error_description\":\"The request is missing a required parameter. Requested audience 'https://x' has not been whitelisted by the OAuth 2.0 Client.\"}|TEST_CLIENT_AUDIENCE",
            "Keycloak unknown scope|{\"error\":\"invalid_scope\",\"error_description\":\"Invalid scopes: reports:export\"}|DEFAULT_SCOPE",
            "Keycloak client without the grant|{\"error\":\"unauthorized_client\",\"error_description\":\"Client not enabled to retrieve service account\"}|",
            "not JSON at all|<html>Bad Gateway</html>|TEST_CLIENT_ID" })
    void namesTheSettingToChange(String provider, String body, String setting) {
        Finding finding = TokenRequestFailure.explain(body, "DEFAULT_SCOPE");
        assertTrue(finding.failed(), provider);
        assertEquals(setting, finding.setting(), provider + ": " + finding);
        assertTrue(finding.fix() != null && !finding.fix().isBlank(), provider);
        if (setting != null) {
            assertTrue(finding.fix().contains(setting), provider + ": the advice names " + setting + ": " + finding.fix());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "DEFAULT_SCOPE", "TEST_CLIENT_SCOPE" })
    void aRefusedScopeNamesTheSettingTheScopeCameFrom(String scopeSetting) {
        Finding finding = TokenRequestFailure.explain("{\"error\":\"invalid_scope\"}", scopeSetting);
        assertEquals(scopeSetting, finding.setting());
    }
}
