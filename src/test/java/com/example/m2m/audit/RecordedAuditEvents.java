package com.example.m2m.audit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** A second audit sink, for the tests: every event the service records. */
@ApplicationScoped
public class RecordedAuditEvents {

    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    void on(@Observes AuditEvent event) {
        events.add(event);
    }

    public List<AuditEvent> since(int index) {
        return List.copyOf(events.subList(index, events.size()));
    }

    public int size() {
        return events.size();
    }
}
