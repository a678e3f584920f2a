package com.example.m2m.security.dpop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpUriTest {

    @ParameterizedTest
    @CsvSource({
            "https://api.example/r, https://api.example/r",
            "HTTPS://API.Example/r, https://api.example/r",
            "https://api.example:443/r, https://api.example/r",
            "http://api.example:80/r, http://api.example/r",
            "https://api.example, https://api.example/",
            "https://api.example/r?x=1, https://api.example/r",
            "https://api.example/r#f, https://api.example/r",
            "https://api.example/a/../r, https://api.example/r",
            "https://api.example/./r, https://api.example/r",
            "https://api.example/%7Euser, https://api.example/~user",
            "https://api.example/a%2fb, https://api.example/a%2Fb",
            "http://127.0.0.1:8081/api/messages, http://127.0.0.1:8081/api/messages" })
    void normalisesAsRfc3986Says(String uri, String normal) {
        assertEquals(normal, HttpUri.normalise(uri));
    }

    @ParameterizedTest
    @CsvSource({
            "https://api.example/r, http://api.example/r",
            "https://api.example/r, https://api.example:8443/r",
            "https://api.example/r, https://api.example/r/",
            "https://api.example/r, https://api.example/R",
            "https://api.example/a%2Fb, https://api.example/a/b",
            "https://api.example/r, https://user@api.example/r",
            "https://api.example/r, https://api.example.evil/r" })
    void differentResourcesStayDifferent(String one, String other) {
        assertNotEquals(HttpUri.normalise(one), HttpUri.normalise(other));
    }

    @ParameterizedTest
    @ValueSource(strings = { "/api/messages", "ftp://api.example/r", "https:/r", "https://", "not a uri", "mailto:a@b",
            "" })
    void somethingThatIsNotAnAbsoluteHttpUriHasNoForm(String uri) {
        assertNull(HttpUri.normalise(uri));
    }
}
