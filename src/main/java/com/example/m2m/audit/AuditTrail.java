package com.example.m2m.audit;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Where audit events go: the log category {@code audit} (one line per event; with the JSON console log of the prod
 * profile the fields are also in the line's {@code mdc} object, ready for a log shipper), and a CDI event that any
 * other sink can observe ({@code @Observes AuditEvent}).
 * <p>
 * Refusals ({@link #refusal}) are aggregated, so that a flood of bad requests cannot become a flood of log lines: the
 * first refusal of a kind (decision, reason, source address, client) in an interval is written at once with
 * {@code count=1}; the ones like it that follow are counted, and written as one line with their {@code count} when
 * the interval ends ({@code api.audit.refusal-interval-seconds}). At most {@link #MAX_KINDS} kinds are kept per
 * interval; past that, new kinds are counted under the source {@code other}.
 */
@ApplicationScoped
public class AuditTrail {

    private static final Logger AUDIT = Logger.getLogger("audit");

    static final int MAX_KINDS = 10_000;
    static final String OTHER_SOURCE = "other";

    @Inject
    Event<AuditEvent> events;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "api.audit.refusal-interval-seconds", defaultValue = "60")
    long intervalSeconds;

    /** What makes two refusals alike. */
    private record Kind(String decision, String reason, String source, String clientId, String issuer) {
    }

    /** The first refusal of a kind in this interval, and how many like it followed. */
    private record Pending(String method, String path, String detail, AtomicLong followers) {
    }

    private final Map<Kind, Pending> pending = new ConcurrentHashMap<>();
    private long timer = -1;

    void start(@Observes StartupEvent started) {
        timer = vertx.setPeriodic(intervalSeconds * 1000, ignored -> flushRefusals());
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        flushRefusals();
    }

    /** One event, written now (a registered client, say). */
    public void record(String decision, String reason, String clientId, String issuer, String method, String path,
            String detail) {
        write(new AuditEvent(Instant.now(), decision, reason, clientId, issuer, AuditEvent.NO_SOURCE, method, path, 1,
                detail));
    }

    /** A refusal: written now if it is the first of its kind in this interval, else counted (see the class comment). */
    public void refusal(String decision, String reason, String source, String clientId, String issuer, String method,
            String path, String detail) {
        Kind kind = new Kind(decision, reason, source, clientId, issuer);
        Pending seen = pending.get(kind);
        if (seen == null && pending.size() >= MAX_KINDS) {
            kind = new Kind(decision, reason, OTHER_SOURCE, clientId, issuer);
            seen = pending.get(kind);
        }
        if (seen != null) {
            seen.followers().incrementAndGet();
            return;
        }
        Pending first = new Pending(method, path, detail, new AtomicLong());
        Pending raced = pending.putIfAbsent(kind, first);
        if (raced != null) {
            raced.followers().incrementAndGet();
            return;
        }
        write(new AuditEvent(Instant.now(), decision, reason, clientId, issuer, kind.source(), method, path, 1,
                detail));
    }

    /**
     * Ends the interval: one line per kind with the refusals that followed its first one, then starts afresh. (A
     * refusal counted by another thread in the instant its kind is taken out may go uncounted: a count is exact to
     * within the refusals that race the end of an interval.)
     */
    public void flushRefusals() {
        for (Kind kind : pending.keySet()) {
            Pending ended = pending.remove(kind);
            long followers = ended == null ? 0 : ended.followers().get();
            if (followers > 0) {
                write(new AuditEvent(Instant.now(), kind.decision(), kind.reason(), kind.clientId(), kind.issuer(),
                        kind.source(), ended.method(), ended.path(), followers, ended.detail() + " (" + followers
                                + " more like it since the line with count=1)"));
            }
        }
    }

    private void write(AuditEvent event) {
        MDC.put("audit.decision", event.decision());
        MDC.put("audit.reason", event.reason());
        MDC.put("audit.client_id", event.clientId());
        MDC.put("audit.issuer", event.issuer());
        MDC.put("audit.source", event.source());
        MDC.put("audit.method", event.method());
        MDC.put("audit.path", event.path());
        MDC.put("audit.count", Long.toString(event.count()));
        try {
            AUDIT.infof("decision=%s reason=%s client_id=%s source=%s method=%s path=%s count=%d issuer=%s detail=%s",
                    event.decision(), event.reason(), event.clientId(), event.source(), event.method(), event.path(),
                    event.count(), event.issuer(), event.detail());
        } finally {
            MDC.remove("audit.decision");
            MDC.remove("audit.reason");
            MDC.remove("audit.client_id");
            MDC.remove("audit.issuer");
            MDC.remove("audit.source");
            MDC.remove("audit.method");
            MDC.remove("audit.path");
            MDC.remove("audit.count");
        }
        events.fire(event);
    }
}
