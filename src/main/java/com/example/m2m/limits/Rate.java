package com.example.m2m.limits;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A limit of at most {@code limit} events per window of {@code windowSeconds}, written {@code 100/1s},
 * {@code 6000/1m}, {@code 50000/1h} (or {@code 100/s}); {@code off} is no limit. The one way the settings that take a
 * rate ({@code RATE_LIMIT}, {@code RATE_LIMIT_CLIENTS}, {@code RATE_LIMIT_SCOPES}, {@code TOKEN_FAILURE_BUDGET}) are
 * read.
 */
public record Rate(long limit, long windowSeconds) {

    public static final String OFF = "off";
    public static final String FORM = "a count per window such as `100/1s`, `500/10s`, `6000/5m`, `50000/1h`"
            + " (`<count>/<n><unit>`, the unit `s`, `m` or `h`; `100/s` is `100/1s`; the window at most 24 h), or `off`";

    private static final Pattern WRITTEN = Pattern.compile("([0-9]{1,9})/([0-9]{0,6})([smh])");
    /** A day: longer windows say "per day" poorly and keep counters long. */
    public static final long LONGEST_WINDOW = 86_400;

    public Rate {
        if (limit < 1 || windowSeconds < 1 || windowSeconds > LONGEST_WINDOW) {
            throw new IllegalArgumentException("a rate needs a limit of 1 or more and a window of 1 s to 24 h");
        }
    }

    /** The rate a value says, or null for {@code off}; {@link IllegalArgumentException} when it says neither. */
    public static Rate parse(String value) {
        String written = value.strip().toLowerCase(Locale.ROOT);
        if (OFF.equals(written)) {
            return null;
        }
        Matcher parts = WRITTEN.matcher(written);
        if (!parts.matches()) {
            throw new IllegalArgumentException("not " + FORM);
        }
        long count = parts.group(2).isEmpty() ? 1 : Long.parseLong(parts.group(2));
        long unit = switch (parts.group(3)) {
            case "s" -> 1;
            case "m" -> 60;
            default -> 3600;
        };
        return new Rate(Long.parseLong(parts.group(1)), count * unit);
    }

    /** Events per second, to compare rates with different windows. */
    public double perSecond() {
        return (double) limit / windowSeconds;
    }

    @Override
    public String toString() {
        return limit + "/" + windowSeconds + "s";
    }
}
