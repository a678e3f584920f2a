package com.example.m2m.check;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class CheckReportTest {

    private static final String A_JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";

    @Test
    void neverPrintsASecretOrAnythingShapedLikeAJwt() {
        CheckReport report = new CheckReport();
        report.neverPrint(List.of("s3cr3t-value"));
        report.add("Token request", Finding.fail("token request", "the issuer said: bad secret s3cr3t-value, assertion "
                + A_JWT, "TEST_CLIENT_SECRET", "check TEST_CLIENT_SECRET"));
        report.verdict(false, "not served");
        for (String out : List.of(report.text(), report.json())) {
            assertFalse(out.contains("s3cr3t-value"), out);
            assertFalse(out.contains(A_JWT), out);
            assertFalse(out.contains("eyJ"), out);
            assertTrue(out.contains("<redacted>") && out.contains("<a JWT>"), out);
        }
    }

    @Test
    void leavesHostNamesAndUrlsAlone() {
        CheckReport report = new CheckReport();
        String issuer = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI";
        report.add("Issuer metadata", Finding.ok("discovery", "issuer " + issuer));
        report.verdict(true, "served");
        assertTrue(report.text().contains(issuer), report.text());
        assertTrue(report.text().endsWith("PASS: served\n"), report.text());
    }
}
