package com.example.m2m.audit;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Where audit events go: the log category {@code audit} (one line per event; with the JSON console log of the prod
 * profile the fields are also in the line's {@code mdc} object, ready for a log shipper), and a CDI event that any
 * other sink can observe ({@code @Observes AuditEvent}).
 */
@ApplicationScoped
public class AuditTrail {

    private static final Logger AUDIT = Logger.getLogger("audit");

    @Inject
    Event<AuditEvent> events;

    public void record(String decision, String reason, String clientId, String method, String path, String detail) {
        AuditEvent event = new AuditEvent(Instant.now(), decision, reason, clientId, method, path, detail);
        MDC.put("audit.decision", decision);
        MDC.put("audit.reason", reason);
        MDC.put("audit.client_id", clientId);
        MDC.put("audit.method", method);
        MDC.put("audit.path", path);
        try {
            AUDIT.infof("decision=%s reason=%s client_id=%s method=%s path=%s detail=%s", decision, reason, clientId,
                    method, path, detail);
        } finally {
            MDC.remove("audit.decision");
            MDC.remove("audit.reason");
            MDC.remove("audit.client_id");
            MDC.remove("audit.method");
            MDC.remove("audit.path");
        }
        events.fire(event);
    }
}
