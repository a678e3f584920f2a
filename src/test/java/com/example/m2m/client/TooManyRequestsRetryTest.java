package com.example.m2m.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

class TooManyRequestsRetryTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T12:00:00Z"), ZoneOffset.UTC);

    private final List<Long> waits = new ArrayList<>();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private static WebApplicationException answer(int status, String header, String value) {
        Response.ResponseBuilder response = Response.status(status);
        if (header != null) {
            response.header(header, value);
        }
        return new WebApplicationException(response.build());
    }

    /** A call that fails with these answers in turn, then succeeds. */
    private static Supplier<String> failing(WebApplicationException... failures) {
        Deque<WebApplicationException> left = new ArrayDeque<>(List.of(failures));
        return () -> {
            if (!left.isEmpty()) {
                throw left.pop();
            }
            return "ok";
        };
    }

    private String call(Supplier<String> call) {
        return TooManyRequestsRetry.call(call, waits::add, new PrintStream(err, true, StandardCharsets.UTF_8), CLOCK);
    }

    @Test
    void waitsAsLongAsRetryAfterSaysThenAsksAgainAndSaysSo() {
        assertEquals("ok", call(failing(answer(429, "Retry-After", "3"), answer(429, "Retry-After", "1"))));
        assertEquals(List.of(3L, 1L), waits);
        String said = err.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("429 Too Many Requests: waiting 3 s as it asks (retry 1 of 3)"), said);
        assertTrue(said.contains("waiting 1 s as it asks (retry 2 of 3)"), said);
    }

    @Test
    void givesUpAfterThreeRetriesWithTheApisAnswer() {
        WebApplicationException last = answer(429, "Retry-After", "1");
        WebApplicationException thrown = assertThrows(WebApplicationException.class, () -> call(failing(
                answer(429, "Retry-After", "1"), answer(429, "Retry-After", "1"), answer(429, "Retry-After", "1"),
                last)));
        assertSame(last, thrown);
        assertEquals(3, waits.size());
    }

    @Test
    void doesNotWaitLongerThanAMinuteAtOnce() {
        WebApplicationException hour = answer(429, "Retry-After", "3600");
        assertSame(hour, assertThrows(WebApplicationException.class, () -> call(failing(hour))));
        assertEquals(List.of(), waits);
    }

    @Test
    void otherRefusalsAreNotRetried() {
        WebApplicationException forbidden = answer(403, "Retry-After", "1");
        assertSame(forbidden, assertThrows(WebApplicationException.class, () -> call(failing(forbidden))));
        assertEquals(List.of(), waits);
    }

    @Test
    void readsAnHttpDateTheRateLimitHeaderOrWaitsOneSecond() {
        call(failing(answer(429, "Retry-After", "Mon, 30 Nov 2026 12:00:07 GMT"),
                answer(429, "RateLimit", "\"default\";r=0;t=5"),
                answer(429, null, null)));
        assertEquals(List.of(7L, 5L, 1L), waits);
    }

    @Test
    void aRetryAfterInThePastOrZeroIsOneSecond() {
        assertEquals(1, TooManyRequestsRetry.waitAsked(answer(429, "Retry-After", "Mon, 30 Nov 2026 11:00:00 GMT"),
                CLOCK));
        assertEquals(1, TooManyRequestsRetry.waitAsked(answer(429, "Retry-After", "0"), CLOCK));
        assertEquals(1, TooManyRequestsRetry.waitAsked(answer(429, "Retry-After", "soon"), CLOCK));
    }
}
