package com.example.m2m.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.ConfigurationException;

class IssuerListTest {

    @Test
    void oneIssuerIsAListOfOne() {
        assertEquals(List.of("https://kc.example/realms/m2m"), IssuerList.parse("https://kc.example/realms/m2m"));
    }

    @Test
    void severalIssuersInOrderBlanksDropped() {
        assertEquals(List.of("https://a.example/oauth2/default", "https://kc.example/realms/m2m"),
                IssuerList.parse(" https://a.example/oauth2/default , https://kc.example/realms/m2m,"));
    }

    @Test
    void eachMustBeAnHttpUrlNamingIssuer() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> IssuerList.parse("https://a.example,realms/m2m"));
        assertTrue(e.getMessage().startsWith("ISSUER is not an http(s) URL ('realms/m2m')"), e.getMessage());
    }

    @Test
    void theSameIssuerTwiceWithOrWithoutASlashIsAMistake() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> IssuerList.parse("https://a.example/x,https://a.example/x/"));
        assertEquals("ISSUER lists https://a.example/x/ twice", e.getMessage());
    }

    @Test
    void anEmptyListIsUnsetAndTooManyIsRefused() {
        assertTrue(assertThrows(ConfigurationException.class, () -> IssuerList.parse(" , "))
                .getMessage().startsWith("ISSUER is not set"));
        String eleven = String.join(",", java.util.stream.IntStream.rangeClosed(1, 11)
                .mapToObj(i -> "https://i" + i + ".example").toList());
        assertTrue(assertThrows(ConfigurationException.class, () -> IssuerList.parse(eleven))
                .getMessage().startsWith("ISSUER lists 11 issuers: at most 10"));
    }
}
