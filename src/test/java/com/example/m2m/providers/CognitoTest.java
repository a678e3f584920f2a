package com.example.m2m.providers;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jose4j.json.JsonUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.example.m2m.api.Endpoints;
import com.example.m2m.client.MessagesApi;
import com.example.m2m.testsupport.Management;
import com.example.m2m.testsupport.providers.CognitoUserPool;
import com.example.m2m.testsupport.providers.CognitoUserPoolResource;
import com.example.m2m.testsupport.providers.ProviderImitation;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The README's Amazon Cognito row, against an imitation of a user pool ({@link CognitoUserPool}, which cites the AWS
 * pages it follows). Service: {@code ISSUER=https://cognito-idp.<region>.amazonaws.com/<poolId>},
 * {@code AUDIENCE_CHECK=false}, {@code ALLOWED_CLIENTS=<the app client ids that may call>},
 * {@code SCOPE_PREFIX=m2m-api/}; caller: {@code TEST_CLIENT_ID}, {@code TEST_CLIENT_SECRET} (it asks for
 * {@code m2m-api/read:messages} by itself: SCOPE_PREFIX + DEFAULT_SCOPE). Cognito's access tokens have no {@code aud}
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html:
 * check {@code client_id} instead, which ALLOWED_CLIENTS does) and name every scope
 * {@code <resource server identifier>/<scope name>}
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-define-resource-servers.html).
 */
@QuarkusTest
@WithTestResource(CognitoUserPoolResource.class)
@TestProfile(CognitoTest.WithTheCaller.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CognitoTest {

    /** The in-process caller (MessagesApi) gets its tokens from the pool; the settings are the resource's. */
    public static class WithTheCaller implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.oidc-client.client-enabled", "true");
        }
    }

    private static final String PROTECTED = Endpoints.PROTECTED;
    private static final String ADMIN_PATH = Endpoints.ADMIN;
    private static final String WHOAMI = Endpoints.WHOAMI;
    private static final String NOT_ALLOWED = "The token was issued to a client this API does not accept";

    CognitoUserPool pool;

    @Inject
    @RestClient
    MessagesApi api;

    /** Every token this class obtained or made, to look for in the log afterwards. */
    private final List<String> tokens = new CopyOnWriteArrayList<>();

    @Test
    void theCallerGetsItsTokenFromThePoolAndIsServed() {
        assertEquals("Hello World!", api.hello().get("message").asText());
        assertTrue(api.protectedMessage().get("message").asText().startsWith("The protected message"));
        JsonNode me = api.whoami();
        assertEquals(CognitoUserPoolResource.CALLER, me.get("clientId").asText());
        assertEquals(pool.issuer(), me.get("issuer").asText());
        List<String> scopes = new ArrayList<>();
        me.get("scopes").forEach(scope -> scopes.add(scope.asText()));
        // The token's own scope, and the name the API's endpoints ask for (SCOPE_PREFIX); nothing of other-api.
        assertEquals(List.of("m2m-api/read:messages", "read:messages"), scopes);

        // The caller asked by itself for exactly SCOPE_PREFIX + DEFAULT_SCOPE, with client_secret_basic (the form has
        // no client_id: this class's own requests below send client_secret_post, with it).
        List<ProviderImitation.Request> asks = pool.requestsTo("/oauth2/token").stream()
                .filter(request -> !request.form().containsKey("client_id")).toList();
        assertFalse(asks.isEmpty(), "the caller asked the pool's token endpoint");
        for (ProviderImitation.Request ask : asks) {
            assertEquals(Map.of("grant_type", "client_credentials", "scope", "m2m-api/read:messages"), ask.form());
        }
    }

    @Test
    void adminNeedsTheAdminScopeOfThisResourceServer() {
        // Scope omitted: every custom scope of the app client (token endpoint page, "scope").
        String admin = token(CognitoUserPoolResource.ADMIN, null);
        assertEquals("m2m-api/read:messages m2m-api/admin:messages", ProviderImitation.claimsOf(admin).get("scope"));
        given().auth().oauth2(admin).when().get(ADMIN_PATH).then().statusCode(200)
                .body("message", containsString("admin"));

        String caller = token(CognitoUserPoolResource.CALLER, null);
        given().auth().oauth2(caller).when().get(PROTECTED).then().statusCode(200);
        given().auth().oauth2(caller).when().get(ADMIN_PATH).then().statusCode(403)
                .header("WWW-Authenticate", containsString("error=\"insufficient_scope\""))
                .header("WWW-Authenticate", containsString("scope=\"m2m-api/admin:messages\""))
                .body("error", equalTo("insufficient_scope"));
    }

    @Test
    void anotherResourceServersScopeOpensNothingHere() {
        String otherApi = token(CognitoUserPoolResource.CALLER, "other-api/read:messages");
        assertEquals("other-api/read:messages", ProviderImitation.claimsOf(otherApi).get("scope"));
        for (String path : List.of(PROTECTED, Endpoints.ROOT)) {
            given().auth().oauth2(otherApi).when().get(path).then().statusCode(403)
                    .header("WWW-Authenticate", containsString("error=\"insufficient_scope\""))
                    .header("WWW-Authenticate", containsString("scope=\"m2m-api/read:messages\""));
        }
        // A valid token of an allowed client all the same: whoami shows it with no scope of this API.
        given().auth().oauth2(otherApi).when().get(WHOAMI).then().statusCode(200)
                .body("clientId", equalTo(CognitoUserPoolResource.CALLER))
                .body("scopes", equalTo(List.of("other-api/read:messages")));
    }

    @Test
    void anAppClientNotOnAllowedClientsIsRefused() {
        double before = refusals("client_not_allowed");
        String otherApp = token(CognitoUserPoolResource.OTHER_APP, null);
        // It has this API's scopes, and there is no aud to tell it from the callers that may call.
        assertEquals("m2m-api/read:messages m2m-api/admin:messages", ProviderImitation.claimsOf(otherApp).get("scope"));
        assertFalse(ProviderImitation.claimsOf(otherApp).containsKey("aud"));
        for (String path : List.of(PROTECTED, WHOAMI)) {
            given().auth().oauth2(otherApp).when().get(path).then().statusCode(401)
                    .header("WWW-Authenticate", containsString("error=\"invalid_token\""))
                    .header("WWW-Authenticate", containsString(NOT_ALLOWED))
                    .body("error", equalTo("invalid_token"));
        }
        assertEquals(before + 2, refusals("client_not_allowed"));
    }

    /**
     * A user of the pool signed in to an allowed app client: the ID token's {@code aud} is that client, its
     * {@code token_use} {@code id}. Two rules refuse it, either may be the one named: {@code AccessTokenOnly}
     * ({@code token_use}, {@code at_hash}) and {@code ALLOWED_CLIENTS} (an ID token has no {@code client_id}, so its
     * client reads as its {@code sub}, the user). Neither alone is left to the order the rules run in.
     */
    @Test
    void aUsersIdTokenForAnAllowedAppClientIsRefused() {
        double before = refusals("wrong_type") + refusals("client_not_allowed");
        CognitoUserPool.UserTokens user = pool.signIn("janedoe", CognitoUserPoolResource.CALLER);
        tokens.add(user.accessToken());
        tokens.add(user.idToken());
        Map<String, Object> claims = ProviderImitation.claimsOf(user.idToken());
        assertEquals(CognitoUserPoolResource.CALLER, claims.get("aud"));
        assertEquals("id", claims.get("token_use"));
        assertTrue(claims.containsKey("at_hash") && !claims.containsKey("client_id"), claims.keySet().toString());
        for (String path : List.of(PROTECTED, WHOAMI)) {
            given().auth().oauth2(user.idToken()).when().get(path).then().statusCode(401)
                    .header("WWW-Authenticate", containsString("error=\"invalid_token\""))
                    .header("WWW-Authenticate", anyOf(containsString("The token is not an access token"),
                            containsString(NOT_ALLOWED)))
                    .body("error", equalTo("invalid_token"));
        }
        assertEquals(before + 2, refusals("wrong_type") + refusals("client_not_allowed"));
    }

    /**
     * The same user's access token for that app client ({@code client_id} the allowed client, {@code token_use}
     * {@code access}, scope {@code aws.cognito.signin.user.admin}, per the access token page's sample) opens no
     * endpoint that needs a scope: a user's sign-in never carries a resource server's custom scopes unless the app
     * client's OAuth flows grant them.
     */
    @Test
    void aUsersAccessTokenOpensNoScopedEndpoint() {
        String access = pool.signIn("janedoe", CognitoUserPoolResource.ADMIN).accessToken();
        tokens.add(access);
        assertEquals("aws.cognito.signin.user.admin", ProviderImitation.claimsOf(access).get("scope"));
        for (String path : List.of(Endpoints.ROOT, PROTECTED, ADMIN_PATH)) {
            given().auth().oauth2(access).when().get(path).then().statusCode(403)
                    .header("WWW-Authenticate", containsString("error=\"insufficient_scope\""));
        }
    }

    @Test
    void theMetadataNamesThePoolAndTheScopesAsCallersAskForThem() {
        given().when().get("/.well-known/oauth-protected-resource").then().statusCode(200)
                .body("authorization_servers", equalTo(List.of(pool.issuer())))
                .body("scopes_supported", hasItems("m2m-api/read:messages", "m2m-api/admin:messages"))
                .body("scopes_supported", not(hasItem("read:messages")));
    }

    /** What the service and caller were tested against is what Cognito documents (see CognitoUserPool's sources). */
    @Test
    void theImitationAnswersAsCognitoDocuments() throws Exception {
        Map<String, Object> discovery = JsonUtil.parseJson(get(pool.issuer() + "/.well-known/openid-configuration"));
        assertEquals(List.of("authorization_endpoint", "id_token_signing_alg_values_supported", "issuer", "jwks_uri",
                "response_types_supported", "scopes_supported", "subject_types_supported", "token_endpoint",
                "token_endpoint_auth_methods_supported", "userinfo_endpoint"), List.copyOf(discovery.keySet()));
        assertEquals(pool.base() + "/oauth2/token", discovery.get("token_endpoint"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> keys = (List<Map<String, Object>>) JsonUtil
                .parseJson(get(pool.issuer() + "/.well-known/jwks.json")).get("keys");
        assertEquals(2, keys.size());
        for (Map<String, Object> key : keys) {
            assertEquals(List.of("alg", "e", "kid", "kty", "n", "use"), List.copyOf(key.keySet()));
            String kid = (String) key.get("kid");
            assertTrue(kid.contains("+") && kid.contains("/") && kid.endsWith("="), kid);
        }

        String token = token(CognitoUserPoolResource.ADMIN, "m2m-api/admin:messages openid");
        Map<String, Object> header = JsonUtil.parseJson(new String(
                Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8));
        assertEquals(List.of("kid", "alg"), List.copyOf(header.keySet()));
        assertEquals(pool.accessTokenKey().kid(), header.get("kid"));
        Map<String, Object> claims = ProviderImitation.claimsOf(token);
        assertEquals(List.of("sub", "token_use", "scope", "auth_time", "iss", "exp", "iat", "version", "jti",
                "client_id"), List.copyOf(claims.keySet()));
        assertEquals(CognitoUserPoolResource.ADMIN, claims.get("sub"));
        assertEquals(CognitoUserPoolResource.ADMIN, claims.get("client_id"));
        assertEquals("access", claims.get("token_use"));
        assertEquals("m2m-api/admin:messages", claims.get("scope"), "a scope the client lacks is ignored");
        assertEquals(2L, ((Number) claims.get("version")).longValue());
        assertEquals(pool.issuer(), claims.get("iss"));

        // Errors: 400 and {"error":...} alone.
        String admin = CognitoUserPoolResource.ADMIN;
        assertEquals("400 {\"error\":\"invalid_client\"}", post(Map.of("grant_type", "client_credentials",
                "client_id", admin, "client_secret", "wrong")));
        assertEquals("400 {\"error\":\"invalid_scope\"}", post(Map.of("grant_type", "client_credentials",
                "client_id", admin, "client_secret", pool.appClient(admin).secret(), "scope", "other-api/read:messages")));
        assertEquals("400 {\"error\":\"unsupported_grant_type\"}", post(Map.of("grant_type", "password",
                "client_id", admin, "client_secret", pool.appClient(admin).secret())));
        // No dynamic client registration.
        assertEquals(404, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(pool.base() + "/register"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode());
    }

    @AfterAll
    void noSecretNorTokenWasLogged() throws IOException {
        Path log = Path.of("target", "test-logs", "quarkus.log");
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertFalse(text.isEmpty(), "the log of the run is there: " + log.toAbsolutePath());
        for (String client : List.of(CognitoUserPoolResource.CALLER, CognitoUserPoolResource.ADMIN,
                CognitoUserPoolResource.OTHER_APP)) {
            assertFalse(text.contains(pool.appClient(client).secret()), "the secret of " + client + " in the log");
        }
        for (String token : tokens) {
            assertFalse(text.contains(token.substring(token.lastIndexOf('.') + 1)), "a token in the log");
        }
    }

    // ---- helpers ----

    /** A client-credentials token from the pool's token endpoint, client_secret_post, {@code scope} when not null. */
    private String token(String clientId, String scope) {
        Map<String, String> form = new java.util.LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("client_id", clientId);
        form.put("client_secret", pool.appClient(clientId).secret());
        if (scope != null) {
            form.put("scope", scope);
        }
        String answer = post(form);
        assertTrue(answer.startsWith("200 "), answer);
        try {
            Map<String, Object> body = JsonUtil.parseJson(answer.substring(4));
            assertEquals(List.of("access_token", "token_type", "expires_in"), List.copyOf(body.keySet()));
            assertEquals("Bearer", body.get("token_type"));
            String token = (String) body.get("access_token");
            tokens.add(token);
            return token;
        } catch (org.jose4j.lang.JoseException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code "<status> <body>"} of a form POST to the pool's token endpoint. */
    private String post(Map<String, String> form) {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(pool.tokenEndpoint()))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + response.body();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url);
        return response.body();
    }

    /** Requests refused for this reason so far, on any endpoint and client. */
    private static double refusals(String reason) {
        return Management.metrics().entrySet().stream()
                .filter(e -> e.getKey().startsWith("api_requests_total{")
                        && e.getKey().contains("reason=\"" + reason + "\""))
                .mapToDouble(Map.Entry::getValue).sum();
    }
}
