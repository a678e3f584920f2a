package com.example.m2m.client;

import java.io.PrintStream;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.WebApplicationException;

/**
 * The caller's answer to a 429 (RFC 6585): wait as long as {@code Retry-After} says (RFC 9110 section 10.2.3: seconds
 * or an HTTP date; without one, what the {@code RateLimit} header's {@code t} says, else 1 s), then ask again, at most
 * {@link #MAX_RETRIES} times and never for longer than {@link #MAX_WAIT_SECONDS} at once; each wait is said on stderr.
 * A 429 that asks for more is given up at once, with the API's answer.
 */
public final class TooManyRequestsRetry {

    static final int MAX_RETRIES = 3;
    static final long MAX_WAIT_SECONDS = 60;

    private static final Pattern RESET = Pattern.compile(";\\s*t=([0-9]{1,9})");

    /** How the caller waits; tests wait in no time. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long seconds) throws InterruptedException;
    }

    public static final Sleeper REAL_TIME = seconds -> Thread.sleep(seconds * 1000);

    private TooManyRequestsRetry() {
    }

    /** The call's answer, after as many waits as the API asks for within the bounds above. */
    public static <T> T call(Supplier<T> call, Sleeper sleeper, PrintStream err, Clock clock) {
        for (int retry = 1;; retry++) {
            try {
                return call.get();
            } catch (WebApplicationException e) {
                long wait = waitAsked(e, clock);
                if (wait < 0 || retry > MAX_RETRIES || wait > MAX_WAIT_SECONDS) {
                    throw e;
                }
                err.printf("The API answered 429 Too Many Requests: waiting %d s as it asks (retry %d of %d)%n", wait,
                        retry, MAX_RETRIES);
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The whole seconds a 429 asks the caller to wait (at least 1), or -1 when the answer is not a 429. */
    static long waitAsked(WebApplicationException refused, Clock clock) {
        if (refused.getResponse() == null || refused.getResponse().getStatus() != 429) {
            return -1;
        }
        Long seconds = retryAfter(refused.getResponse().getHeaderString("Retry-After"), clock);
        if (seconds == null) {
            seconds = rateLimitReset(refused.getResponse().getHeaderString("RateLimit"));
        }
        return seconds == null ? 1 : Math.max(1, seconds);
    }

    /** {@code Retry-After: 120} or {@code Retry-After: Wed, 21 Oct 2015 07:28:00 GMT}; null when absent or unreadable. */
    static Long retryAfter(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.strip();
        if (trimmed.matches("[0-9]{1,9}")) {
            return Long.parseLong(trimmed);
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME);
            return Math.max(0, at.toEpochSecond() - clock.instant().getEpochSecond());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The {@code t} (seconds until the quota resets) of {@code RateLimit: "default";r=0;t=7}, or null. */
    static Long rateLimitReset(String value) {
        if (value == null) {
            return null;
        }
        Matcher t = RESET.matcher(value);
        return t.find() ? Long.parseLong(t.group(1)) : null;
    }
}
