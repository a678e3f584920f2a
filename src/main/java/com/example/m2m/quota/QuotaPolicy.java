package com.example.m2m.quota;

import com.example.m2m.limits.Rate;
import com.example.m2m.limits.WindowCounters;

import java.util.Objects;

/**
 * The quota a request is held to: its {@link Rate}, and the name the {@code RateLimit} headers give it ({@code default},
 * {@code client} for a client's own quota, {@code scope} for a scope's; never the client id or the scope itself).
 * Its {@code RateLimit-Policy} header is written once, not per request.
 */
public final class QuotaPolicy {

    public static final String DEFAULT = "default";
    public static final String CLIENT = "client";
    public static final String SCOPE = "scope";

    private final String name;
    private final Rate rate;
    private final String policyHeader;
    /** {@code "name";r=}: the constant start of the {@code RateLimit} header. */
    private final String currentPrefix;

    public QuotaPolicy(String name, Rate rate) {
        this.name = name;
        this.rate = rate;
        this.policyHeader = rate == null ? null : '"' + name + "\";q=" + rate.limit() + ";w=" + rate.windowSeconds();
        this.currentPrefix = '"' + name + "\";r=";
    }

    public String name() {
        return name;
    }

    public Rate rate() {
        return rate;
    }

    /**
     * {@code RateLimit-Policy: "default";q=100;w=1} (draft-ietf-httpapi-ratelimit-headers: the quota {@code q} and
     * its window {@code w} in seconds).
     */
    public String policyHeader() {
        return policyHeader;
    }

    /** {@code RateLimit: "default";r=42;t=1}: what remains of the quota ({@code r}) and seconds until it resets. */
    public String currentHeader(WindowCounters.Count count) {
        return currentPrefix + count.remaining() + ";t=" + count.resetSeconds();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof QuotaPolicy policy && name.equals(policy.name) && Objects.equals(rate, policy.rate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, rate);
    }

    @Override
    public String toString() {
        return name + " " + rate;
    }
}
