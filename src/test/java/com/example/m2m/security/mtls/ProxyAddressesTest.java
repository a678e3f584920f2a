package com.example.m2m.security.mtls;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** CLIENT_CERT_PROXIES: which TCP peers are the declared proxies. */
class ProxyAddressesTest {

    @Test
    void singleAddressesAndRanges() {
        ProxyAddresses proxies = ProxyAddresses.parse("127.0.0.1, 10.0.0.0/8,fd00:1:2:3::/64");
        assertTrue(proxies.contains("127.0.0.1"));
        assertFalse(proxies.contains("127.0.0.2"));
        assertTrue(proxies.contains("10.255.1.2"));
        assertFalse(proxies.contains("11.0.0.1"));
        assertTrue(proxies.contains("fd00:1:2:3:abcd::1"));
        assertTrue(proxies.contains("[fd00:1:2:3::9]"));
        assertFalse(proxies.contains("fd00:1:2:4::1"));
    }

    @Test
    void oddPrefixes() {
        ProxyAddresses proxies = ProxyAddresses.parse("192.168.4.0/22");
        assertTrue(proxies.contains("192.168.7.255"));
        assertFalse(proxies.contains("192.168.8.0"));
        assertTrue(ProxyAddresses.parse("0.0.0.0/0").contains("8.8.8.8"));
    }

    @Test
    void aPeerThatIsNoAddressIsNoProxy() {
        ProxyAddresses proxies = ProxyAddresses.parse("0.0.0.0/0");
        assertFalse(proxies.contains(null));
        assertFalse(proxies.contains("localhost"));
        assertFalse(ProxyAddresses.NONE.contains("127.0.0.1"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", ",", "localhost", "proxy.example", "999.1.1.1", "10.0.0.0/33", "10.0.0.0/", "10.0.0/8",
            "fd00::/129", "1.2.3.4/-1", ":::", "10.0.0.1 10.0.0.2" })
    void anythingButLiteralAddressesIsRefused(String value) {
        assertThrows(IllegalArgumentException.class, () -> ProxyAddresses.parse(value));
    }
}
