package com.example.m2m.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.example.m2m.testsupport.HostileCases;
import com.example.m2m.testsupport.HostileCases.HostileCase;
import com.example.m2m.testsupport.HostileCases.Request;
import com.example.m2m.testsupport.InjectLocalIssuer;
import com.example.m2m.testsupport.LocalIssuer;
import com.example.m2m.testsupport.LocalIssuerResource;
import com.example.m2m.testsupport.TokenForge;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * Every case of {@link HostileCases} gets its answer: never a 200 it should not get, never a 500; every refusal carries
 * an RFC 6750 challenge with the right error code and an RFC 9457 body. Afterwards, no key location named in a token
 * was fetched, and the log of the whole run contains no token and no JWT-shaped string.
 * {@code HostileRequestsIT} runs the same against the packaged service.
 */
@QuarkusTest
@WithTestResource(LocalIssuerResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileRequestsTest {

    private static final Pattern JWT_SHAPE = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}");

    /** Every credential this suite sends, to look for in the log afterwards. */
    private final List<String> sent = new CopyOnWriteArrayList<>();

    @InjectLocalIssuer
    LocalIssuer issuer;

    /** The attacker's own issuer: its JWKS must never be fetched. */
    private LocalIssuer attacker;
    private TokenForge forge;

    /** The log this run writes (the in-process service's; the packaged one's in the IT). */
    Path log() {
        return Path.of("target", "test-logs", "quarkus.log");
    }

    @BeforeAll
    void startAttacker() {
        attacker = LocalIssuer.start();
    }

    static Stream<HostileCase> cases() {
        return HostileCases.all().stream();
    }

    @Test
    void theSuiteCoversAtLeast120Cases() {
        assertTrue(HostileCases.all().size() >= 120, HostileCases.all().size() + " cases");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void hostileRequestGetsItsAnswer(HostileCase hostile) {
        if (forge == null) {
            forge = new TokenForge(issuer, attacker);
        }
        Request request = hostile.request().apply(forge);
        sent.addAll(request.tokens());
        assertAnswer(hostile, request.spec().when().get(hostile.path()));
    }

    /** The answer a hostile case must get: its status, and for a refusal the challenge and body that say why. */
    static void assertAnswer(HostileCase hostile, Response response) {
        int status = response.statusCode();
        assertEquals(hostile.status(), status, hostile.name() + ": " + response.asString());
        if (status < 400) {
            return;
        }
        List<String> challenges = response.headers().getValues("WWW-Authenticate");
        assertFalse(challenges.isEmpty(), hostile.name() + ": no challenge");
        List<String> schemes = HostileCases.BOTH.equals(hostile.scheme())
                ? List.of(HostileCases.BEARER, HostileCases.DPOP) : List.of(hostile.scheme());
        assertEquals(schemes.size(), challenges.size(), hostile.name() + ": " + challenges);
        for (int i = 0; i < schemes.size(); i++) {
            String challenge = challenges.get(i);
            assertTrue(challenge.startsWith(schemes.get(i) + " realm=\"m2m-api\""), hostile.name() + ": " + challenge);
            assertTrue(challenge.contains("resource_metadata=\""), challenge);
            assertEquals(HostileCases.DPOP.equals(schemes.get(i)), challenge.contains(" algs=\"ES256 "), challenge);
            if (hostile.error().isEmpty()) {
                assertFalse(challenge.contains("error="), "no error code without a token: " + challenge);
            } else {
                assertTrue(challenge.contains("error=\"" + hostile.error() + "\""), hostile.name() + ": " + challenge);
            }
        }
        assertTrue(response.contentType().startsWith("application/problem+json"), response.contentType());
        JsonObject problem = new JsonObject(response.asString());
        assertEquals(status, problem.getInteger("status"));
        if (!hostile.error().isEmpty()) {
            assertEquals(hostile.error(), problem.getString("error"));
        }
    }

    @Test
    void aHundredKilobyteTokenIsRefusedWithoutAServerError() {
        int status;
        try {
            status = Request.bearer("a".repeat(100 * 1024)).spec().when().get(HostileCases.PROTECTED).statusCode();
        } catch (Exception e) { // RestAssured throws the socket's IOException undeclared
            // The server may answer 431 and close the connection while the client is still sending the header (the
            // native executable is fast enough to, every time on some runs): a broken pipe is a refusal as well.
            assertTrue(causedBy(e, java.net.SocketException.class), "not a closed connection: " + e);
            return;
        }
        assertTrue(status == 431 || status == 400 || status == 401, "status " + status);
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    @AfterAll
    void noKeyWasFetchedFromTheAttackerAndNoTokenWasLogged() throws IOException {
        assertEquals(0, attacker.jwksFetches(), "a key location named in a token header was fetched");
        attacker.close();
        assertTrue(Files.size(log()) > 0, "the log of the run is there: " + log().toAbsolutePath());
        List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
        assertTrue(lines.stream().anyMatch(l -> l.contains("token_refused")), "the log holds this run's refusals");
        for (String line : lines) {
            assertFalse(JWT_SHAPE.matcher(line).find(), "a JWT in the log: " + line);
            for (String token : sent) {
                if (token.length() >= 16) {
                    assertFalse(line.contains(token), "a sent token in the log: " + line);
                }
            }
        }
    }
}
