package com.example.m2m.providers;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.example.m2m.testsupport.providers.EntraTenant;
import com.example.m2m.testsupport.providers.ProviderImitation.Request;

/** What the Entra ID tests share: token requests to the imitated tenant, the refusal check, the log check. */
final class EntraChecks {

    private EntraChecks() {
    }

    /** A client-credentials request at the v2.0 endpoint, client_secret_post: the answer's JSON, expecting 200. */
    static Map<String, Object> v2Token(EntraTenant entra, String clientId, String secret, String scope) {
        return given().formParam("grant_type", "client_credentials").formParam("client_id", clientId)
                .formParam("client_secret", secret).formParam("scope", scope)
                .when().post(entra.v2TokenEndpoint())
                .then().statusCode(200).extract().jsonPath().getMap("");
    }

    /** The same at the v1.0 endpoint, with {@code resource} when not null (and a {@code scope}, which it ignores). */
    static Map<String, Object> v1Token(EntraTenant entra, String clientId, String secret, String resource,
            String scope) {
        var request = given().formParam("grant_type", "client_credentials").formParam("client_id", clientId)
                .formParam("client_secret", secret).formParam("scope", scope);
        if (resource != null) {
            request.formParam("resource", resource);
        }
        return request.when().post(entra.v1TokenEndpoint()).then().statusCode(200).extract().jsonPath().getMap("");
    }

    /** The challenge's description of an ID token (security/rules/AccessTokenOnly). */
    static final String NOT_AN_ACCESS_TOKEN = "not an access token";
    /** ... of a token signed by an algorithm its key is not for (security/rules/KeyAlgorithm). */
    static final String WRONG_ALGORITHM = "algorithm its key is not published for";

    /** A 401 with an RFC 6750 {@code invalid_token} challenge whose description says {@code because}. */
    static void refused(String token, String path, String because) {
        given().auth().oauth2(token).when().get(path).then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""))
                .header("WWW-Authenticate", containsString(because));
    }

    /** The caller's own token requests (client_secret_basic: no client id in the form), oldest first. */
    static List<Request> callerRequests(EntraTenant entra, String tokenEndpointPath) {
        return entra.requestsTo(tokenEndpointPath).stream().filter(r -> !r.form().containsKey("client_id")).toList();
    }

    /** The service's log of this run holds none of these secrets. */
    static void notLogged(String... secrets) throws IOException {
        String log = Files.readString(Path.of("target", "test-logs", "quarkus.log"), StandardCharsets.UTF_8);
        for (String secret : secrets) {
            assertFalse(log.contains(secret), "a client secret is in the log");
        }
    }
}
