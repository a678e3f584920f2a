package com.example.m2m.check;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.example.m2m.client.CallerDpopKey;

/**
 * Calls the service running in this process (on a loopback port of its own, with the settings being checked) with
 * the caller's token, as the caller would: {@code Authorization: Bearer}, or {@code DPoP} with a fresh proof per call
 * and the service's nonce when it asks for one. The service's answer is the verdict: the same code, the same rules.
 * Not the caller's REST client ({@code client.MessagesApi}): the check needs every endpoint's status, challenge and
 * body as they came, where the REST client turns a refusal into an exception; the proof is the caller's own
 * ({@link CallerDpopKey}).
 */
final class ServiceCalls {

    /** One answer: its status, its {@code WWW-Authenticate} (or null) and its body. */
    record Answer(int status, String challenge, String body) {
    }

    private final HttpClient http;
    private final URI base;
    private final String token;
    private final CallerDpopKey dpop;

    ServiceCalls(HttpClient http, URI base, String token, CallerDpopKey dpop) {
        this.http = http;
        this.base = base;
        this.token = token;
        this.dpop = dpop;
    }

    Answer get(String path) throws IOException, InterruptedException {
        Answer answer = send(path);
        if (answer.status() == 401 && answer.challenge() != null && answer.challenge().contains("use_dpop_nonce")) {
            answer = send(path); // the nonce is kept by now (RFC 9449 section 9)
        }
        return answer;
    }

    private Answer send(String path) throws IOException, InterruptedException {
        String url = base.resolve(path).toString();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (dpop.enabled()) {
            request.header("Authorization", "DPoP " + token).header("DPoP", dpop.proof("GET", url, token));
        } else {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (dpop.enabled()) {
            response.headers().firstValue("DPoP-Nonce").ifPresent(nonce -> dpop.nonce(url, nonce));
        }
        return new Answer(response.statusCode(), response.headers().firstValue("WWW-Authenticate").orElse(null),
                response.body());
    }
}
