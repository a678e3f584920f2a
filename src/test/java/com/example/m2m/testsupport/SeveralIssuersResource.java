package com.example.m2m.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Three local issuers: {@code first} and {@code second} trusted ({@code ISSUER=<first>,<second>}), {@code unlisted}
 * not, for the tests of several issuers. Injected into a field of type {@link Issuers}.
 */
public class SeveralIssuersResource implements QuarkusTestResourceLifecycleManager {

    /** The three issuers of a test. */
    public record Issuers(LocalIssuer first, LocalIssuer second, LocalIssuer unlisted) {
    }

    private Issuers issuers;

    @Override
    public Map<String, String> start() {
        issuers = new Issuers(LocalIssuer.start(), LocalIssuer.start(), LocalIssuer.start());
        return Map.of("ISSUER", issuers.first().url() + ", " + issuers.second().url(), "AUDIENCE", "api://messages");
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(issuers, new TestInjector.MatchesType(Issuers.class));
    }

    @Override
    public void stop() {
        if (issuers != null) {
            issuers.first().close();
            issuers.second().close();
            issuers.unlisted().close();
        }
    }
}
