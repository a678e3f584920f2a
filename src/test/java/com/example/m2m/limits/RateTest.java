package com.example.m2m.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RateTest {

    @ParameterizedTest
    @CsvSource({ "100/1s,100,1", "100/s,100,1", "6000/1m,6000,60", "5/10s,5,10", "50000/1h,50000,3600",
            "' 7/2M ',7,120", "1/24h,1,86400" })
    void readsACountPerWindow(String written, long limit, long windowSeconds) {
        assertEquals(new Rate(limit, windowSeconds), Rate.parse(written));
    }

    @ParameterizedTest
    @ValueSource(strings = { "off", "OFF", " off " })
    void offIsNoRate(String written) {
        assertNull(Rate.parse(written));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "100", "100/", "/1s", "0/1s", "100/0s", "-1/1s", "100/1d", "100/25h", "1.5/1s",
            "100 / 1s", "1e3/1s", "9999999999/1s", "100/1s,", "unlimited" })
    void anythingElseIsRefusedWithTheFormItShouldHave(String written) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Rate.parse(written));
        assertEquals(false, refused.getMessage().contains("Exception"), refused.getMessage());
    }
}
