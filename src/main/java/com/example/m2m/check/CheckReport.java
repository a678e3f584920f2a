package com.example.m2m.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What {@code call --check} found, section by section, then which endpoints the caller can call: printed for a
 * person ({@link #text}) or for scripts ({@link #json}). Every line passes through {@link #redact} first, so that
 * nothing a provider echoes (or a bug of ours) can print a secret or a token.
 */
public final class CheckReport {

    /** Whether the caller can call an endpoint with its token, and why not. */
    public record Access(String method, String path, String needs, boolean allowed, String why) {
    }

    private final Map<String, List<Finding>> sections = new LinkedHashMap<>();
    private final List<Access> endpoints = new ArrayList<>();
    private final List<String> secrets = new ArrayList<>();
    private String verdict = "not checked";
    private boolean served;

    /** Values never to print: the caller's secret, the token, the service's own secrets. */
    public void neverPrint(Collection<String> values) {
        values.stream().filter(v -> v != null && v.length() >= 4).forEach(secrets::add);
    }

    public void add(String section, Finding finding) {
        sections.computeIfAbsent(section, s -> new ArrayList<>()).add(finding);
    }

    public void add(String section, Collection<Finding> findings) {
        findings.forEach(f -> add(section, f));
    }

    public void endpoint(Access access) {
        endpoints.add(access);
    }

    /** The last line, and the exit status: {@code served} only when the caller was served on DEFAULT_SCOPE's endpoint. */
    public void verdict(boolean served, String verdict) {
        this.served = served;
        this.verdict = verdict;
    }

    public boolean served() {
        return served;
    }

    public List<Finding> findings() {
        return sections.values().stream().flatMap(List::stream).toList();
    }

    public List<Access> endpoints() {
        return List.copyOf(endpoints);
    }

    /** For a person: a heading per section, one line per check, the fix under each failure. */
    public String text() {
        StringBuilder out = new StringBuilder();
        sections.forEach((section, findings) -> {
            out.append(section).append('\n');
            for (Finding f : findings) {
                out.append(String.format("  %-4s  %-14s %s%n", f.status().label(), f.area(), f.message()));
                if (f.fix() != null) {
                    out.append(String.format("  %-4s  %-14s -> %s%n", "", "", f.fix()));
                }
            }
            out.append('\n');
        });
        if (!endpoints.isEmpty()) {
            out.append("Endpoints this client can call (the service as configured here, with this token)\n");
            for (Access a : endpoints) {
                out.append(String.format("  %-4s  %-4s %-26s %s%n", a.allowed() ? "yes" : "no", a.method(), a.path(),
                        a.why()));
            }
            out.append('\n');
        }
        out.append(served ? "PASS: " : "FAIL: ").append(verdict).append('\n');
        return redact(out.toString());
    }

    /** For scripts: {@code {"served":..., "verdict":..., "checks":[...], "endpoints":[...]}}. */
    public String json() {
        JsonArray checks = new JsonArray();
        sections.forEach((section, findings) -> findings.forEach(f -> checks.add(new JsonObject()
                .put("section", section).put("area", f.area()).put("status", f.status().name().toLowerCase())
                .put("message", f.message()).put("setting", f.setting()).put("fix", f.fix()))));
        JsonArray access = new JsonArray();
        endpoints.forEach(a -> access.add(new JsonObject().put("method", a.method()).put("path", a.path())
                .put("needs", a.needs()).put("allowed", a.allowed()).put("why", a.why())));
        return redact(new JsonObject().put("served", served).put("verdict", verdict).put("checks", checks)
                .put("endpoints", access).encodePrettily()) + "\n";
    }

    /**
     * A JOSE object in compact form: a JWT, a client assertion, a DPoP proof (its header is JSON, so its first part
     * starts with {@code eyJ}, the base64url of <code>{"</code>).
     */
    private static final Pattern COMPACT_JWS = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    String redact(String text) {
        String redacted = text;
        for (String secret : secrets) {
            redacted = redacted.replace(secret, "<redacted>");
        }
        return COMPACT_JWS.matcher(redacted).replaceAll("<a JWT>");
    }
}
