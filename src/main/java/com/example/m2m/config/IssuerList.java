package com.example.m2m.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;


/**
 * {@code ISSUER} as a list: one issuer URL, or several separated by commas, each trusted on its own (its tokens
 * verified with its own keys only, see {@code security.IssuerTenants}). The first one is the one the caller and the
 * registrar use. Bounded, because each one is an OIDC tenant with its own key set, and a label value in the metrics.
 */
public final class IssuerList {

    /** More issuers than this is a mistake (a list pasted twice, a wrong variable), not a deployment. */
    public static final int MAX_ISSUERS = 10;

    private IssuerList() {
    }

    /**
     * The issuer URLs in {@code value}, in order, blanks dropped; a value that is not a list of distinct http(s) URLs
     * stops start-up with one line naming ISSUER.
     */
    public static List<String> parse(String value) {
        List<String> issuers = new ArrayList<>();
        for (String part : value.split(",")) {
            String issuer = part.strip();
            if (!issuer.isEmpty()) {
                IssuerSettingCheck.check(issuer);
                issuers.add(issuer);
            }
        }
        if (issuers.isEmpty()) {
            throw new SettingProblem(IssuerSettingCheck.NOT_SET);
        }
        if (issuers.size() > MAX_ISSUERS) {
            throw new SettingProblem("ISSUER lists " + issuers.size() + " issuers: at most " + MAX_ISSUERS
                    + " are trusted at once");
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (String issuer : issuers) {
            if (!distinct.add(withoutTrailingSlash(issuer))) {
                throw new SettingProblem("ISSUER lists " + issuer + " twice");
            }
        }
        return List.copyOf(issuers);
    }

    /** The same issuer whether written with a trailing slash or not (Auth0's iss ends in one, people's URLs not). */
    public static String withoutTrailingSlash(String issuer) {
        return issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    }
}
