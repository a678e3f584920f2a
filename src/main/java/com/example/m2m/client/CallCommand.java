package com.example.m2m.client;

import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.example.m2m.api.Endpoints;
import com.example.m2m.check.CheckReport;
import com.example.m2m.check.SetupCheck;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.oidc.client.OidcClientException;
import io.quarkus.runtime.QuarkusApplication;

/**
 * The caller by hand, as {@code node test.js} was: gets a client-credentials token for {@code TEST_CLIENT_ID} with
 * {@code DEFAULT_SCOPE}, calls the API and prints its answer, or one line saying what went wrong. A 429 is waited out
 * as the API asks, a bounded number of times ({@link TooManyRequestsRetry}).
 */
public class CallCommand implements QuarkusApplication {

    public static final String NAME = "call";

    /** Set while the process runs as the caller, so that settings checks can speak to a caller. */
    public static final String CALLER_MODE = "api.caller-mode";

    static final int OK = 0;
    static final int USAGE = 64;
    static final int NO_TOKEN = 2;
    static final int REFUSED = 3;
    public static final int UNREACHABLE = 4;
    /** {@code --discover}: the API named no authorization server the caller trusts. */
    public static final int UNTRUSTED = 5;
    /** {@code --check}: the caller would not be served on {@code DEFAULT_SCOPE}'s endpoint (or a setting is wrong). */
    public static final int CHECK_FAILED = 1;

    /** {@code call --check [--json]}: why a token would be refused ({@link SetupCheck}). */
    public static final String CHECK = "--check";
    public static final String JSON = "--json";

    @Inject
    @RestClient
    MessagesApi api;

    @Inject
    Instance<SetupCheck> setupCheck;

    @ConfigProperty(name = "quarkus.rest-client.messages-api.url")
    String apiUrl;

    @ConfigProperty(name = "quarkus.oidc-client.auth-server-url")
    String issuer;

    @Override
    public int run(String... args) {
        List<String> arguments = List.of(args);
        if (arguments.contains(CHECK)) {
            CheckReport report = setupCheck.get().run();
            System.out.print(arguments.contains(JSON) ? report.json() : report.text());
            return report.served() ? OK : CHECK_FAILED;
        }
        String path = args.length > 1 ? args[1] : "/";
        Map<String, Supplier<JsonNode>> calls = Map.of(
                Endpoints.ROOT, api::hello,
                Endpoints.PROTECTED, api::protectedMessage,
                Endpoints.ADMIN, api::adminMessage,
                Endpoints.WHOAMI, api::whoami);
        Supplier<JsonNode> call = calls.get(path);
        if (call == null) {
            System.err.println("usage: call [" + String.join("|", calls.keySet().stream().sorted().toList()) + "]"
                    + " (got " + Arrays.toString(Arrays.copyOfRange(args, 1, args.length)) + ")");
            return USAGE;
        }
        try {
            JsonNode answer = TooManyRequestsRetry.call(() -> DpopNonceRetry.call(call), TooManyRequestsRetry.REAL_TIME,
                    System.err, Clock.systemUTC());
            System.out.println(answer.toPrettyString());
            return OK;
        } catch (WebApplicationException e) {
            System.err.printf("The API at %s answered GET %s with %d %s%s%n", apiUrl, path,
                    e.getResponse().getStatus(), e.getResponse().getStatusInfo().getReasonPhrase(),
                    challenge(e));
            return REFUSED;
        } catch (RuntimeException e) {
            OidcClientException tokenFailure = causeOfType(e, OidcClientException.class);
            if (tokenFailure != null && issuerUnreachable(tokenFailure)) {
                System.err.println("The authorization server at " + issuer + " is not reachable (" + rootMessage(e)
                        + "): is ISSUER right, and is the server up?");
                return UNREACHABLE;
            }
            if (tokenFailure != null) {
                System.err.println("No token from the authorization server at " + issuer + ": "
                        + tokenFailure.getMessage() + " (check TEST_CLIENT_ID, TEST_CLIENT_SECRET and DEFAULT_SCOPE)");
                return NO_TOKEN;
            }
            if (causeOfType(e, ProcessingException.class) != null || causeOfType(e, java.net.ConnectException.class) != null) {
                System.err.println("The API at " + apiUrl + " is not reachable: " + rootMessage(e)
                        + " (is the service running? set API_URL to call another one)");
                return UNREACHABLE;
            }
            throw e;
        }
    }

    /**
     * Whether the token request failed because the authorization server could not be reached at all (Quarkus' OIDC
     * client reports that as "OIDC server is not available"), rather than refusing the client.
     */
    static boolean issuerUnreachable(OidcClientException failure) {
        return causeOfType(failure, java.net.ConnectException.class) != null
                || causeOfType(failure, java.net.UnknownHostException.class) != null
                || (failure.getMessage() != null && failure.getMessage().contains("server is not available"));
    }

    private static String challenge(WebApplicationException e) {
        String header = e.getResponse().getHeaderString("WWW-Authenticate");
        return header == null ? "" : " (WWW-Authenticate: " + header + ")";
    }

    private static <T extends Throwable> T causeOfType(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
