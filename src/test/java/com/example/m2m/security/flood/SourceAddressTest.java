package com.example.m2m.security.flood;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SourceAddressTest {

    @ParameterizedTest
    @CsvSource({
            "192.0.2.7, 192.0.2.7",
            "2001:db8:1:2:3:4:5:6, 2001:db8:1:2::/64",
            "2001:db8:1:2:ffff:ffff:ffff:ffff, 2001:db8:1:2::/64", // the same host's network
            "[2001:db8:1:2::9], 2001:db8:1:2::/64",
            "::1, 0:0:0:0::/64",
            "::ffff:192.0.2.7, 192.0.2.7", // IPv4-mapped: the IPv4 address
            "'', unknown",
            "not-an-address:x, unknown" })
    void countsIpv4AddressesAndIpv6Networks(String address, String counted) {
        assertEquals(counted, SourceAddress.of(address));
    }
}
