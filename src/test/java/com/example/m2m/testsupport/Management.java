package com.example.m2m.testsupport;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;

/**
 * Requests to the management interface, where health and metrics live: port 9001 in tests (Quarkus' default
 * {@code quarkus.management.test-port}; the packaged service of the *IT tests is given the same port by the test
 * resources).
 */
public final class Management {

    public static final int TEST_PORT = 9001;

    private Management() {
    }

    public static RequestSpecification management() {
        return given().port(TEST_PORT);
    }
}
