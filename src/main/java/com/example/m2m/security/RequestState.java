package com.example.m2m.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;

/**
 * What the authentication of one request found, kept on the request under one key, for whoever answers it
 * ({@link Refusals}) and counts it ({@code metrics.RequestOutcomes}): why it was refused, the scheme its token came
 * with, the identity its token verified as (a refusal after that names the client), and why and for how long it was
 * throttled. Written by the mechanism and the quota handler, on the request's own event loop; never shared.
 */
public final class RequestState {

    private static final String KEY = RequestState.class.getName();

    private TokenFailure failure;
    private boolean dpopScheme;
    private SecurityIdentity verified;
    private String throttledReason;
    private long retryAfterSeconds = 1;

    private RequestState() {
    }

    /** This request's state, made on first use. */
    public static RequestState of(RoutingContext context) {
        RequestState state = context.get(KEY);
        if (state == null) {
            state = new RequestState();
            context.put(KEY, state);
        }
        return state;
    }

    /** This request's state, or null when nothing was recorded (no new object for requests nobody refused). */
    static RequestState peek(RoutingContext context) {
        return context.get(KEY);
    }

    /** Why this request was not authenticated. */
    public void refused(TokenFailure refusal) {
        this.failure = refusal;
    }

    /** Why this request was not authenticated, or {@link TokenFailure#NO_TOKEN} when nothing was recorded. */
    public static TokenFailure failureOf(RoutingContext context) {
        RequestState state = peek(context);
        return state == null || state.failure == null ? TokenFailure.NO_TOKEN : state.failure;
    }

    /** Whether the authentication mechanism recorded a failure for this request. */
    public static boolean hasFailure(RoutingContext context) {
        RequestState state = peek(context);
        return state != null && state.failure != null;
    }

    /** The token came as {@code Authorization: DPoP}: its refusals answer with DPoP challenges. */
    public void dpopScheme() {
        this.dpopScheme = true;
    }

    public static boolean isDpop(RoutingContext context) {
        RequestState state = peek(context);
        return state != null && state.dpopScheme;
    }

    /** The token verified, as this identity, whatever the checks that follow say. */
    public void verified(SecurityIdentity identity) {
        this.verified = identity;
    }

    /** The identity this request's token verified as, or null when it did not verify (or there was none). */
    public static SecurityIdentity verifiedOf(RoutingContext context) {
        RequestState state = peek(context);
        return state == null ? null : state.verified;
    }

    /** This request is answered 429 for {@code reason} ("quota", "token_failures"), for so many seconds (at least 1). */
    public void throttled(String reason, long seconds) {
        this.throttledReason = reason;
        this.retryAfterSeconds = Math.max(1, seconds);
    }

    /** Why this request was answered 429, or null when it was not. */
    public static String throttledReason(RoutingContext context) {
        RequestState state = peek(context);
        return state == null ? null : state.throttledReason;
    }

    /** The {@code Retry-After} of a 429 this request was given (whole seconds, at least 1). */
    public static long retryAfterOf(RoutingContext context) {
        RequestState state = peek(context);
        return state == null ? 1 : state.retryAfterSeconds;
    }
}
