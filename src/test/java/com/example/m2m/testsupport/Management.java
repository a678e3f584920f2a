package com.example.m2m.testsupport;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.specification.RequestSpecification;

/**
 * Requests to the management interface, where health and metrics live: port 9001 in tests (Quarkus' default
 * {@code quarkus.management.test-port}, or the one {@code -Dquarkus.management.test-port} gives, so that two builds on
 * one machine can run apart; the packaged service of the *IT tests is given the same port by the test resources).
 */
public final class Management {

    public static final int TEST_PORT = Integer.getInteger("quarkus.management.test-port", 9001);
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? ([0-9.eE+-]+)$");

    private Management() {
    }

    public static RequestSpecification management() {
        return given().port(TEST_PORT);
    }

    /** Every sample of /q/metrics, by name and labels ({@code name{label="value",...}}). */
    public static Map<String, Double> metrics() {
        Map<String, Double> samples = new HashMap<>();
        for (String line : management().when().get("/q/metrics").then().statusCode(200).extract().asString()
                .split("\n")) {
            Matcher m = SAMPLE.matcher(line.trim());
            if (m.matches()) {
                samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
            }
        }
        return samples;
    }
}
