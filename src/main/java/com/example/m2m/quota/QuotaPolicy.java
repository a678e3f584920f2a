package com.example.m2m.quota;

/**
 * The quota a request is held to: its {@link Rate}, and the name the {@code RateLimit} headers give it ({@code default},
 * {@code client} for a client's own quota, {@code scope} for a scope's; never the client id or the scope itself).
 */
public record QuotaPolicy(String name, Rate rate) {

    public static final String DEFAULT = "default";
    public static final String CLIENT = "client";
    public static final String SCOPE = "scope";

    /**
     * {@code RateLimit-Policy: "default";q=100;w=1} (draft-ietf-httpapi-ratelimit-headers: the quota {@code q} and
     * its window {@code w} in seconds).
     */
    public String policyHeader() {
        return '"' + name + "\";q=" + rate.limit() + ";w=" + rate.windowSeconds();
    }

    /** {@code RateLimit: "default";r=42;t=1}: what remains of the quota ({@code r}) and seconds until it resets. */
    public String currentHeader(WindowCounters.Count count) {
        return '"' + name + "\";r=" + count.remaining() + ";t=" + count.resetSeconds();
    }
}
