package com.example.m2m.security.rules;

import static com.example.m2m.security.rules.Tokens.signed;
import static com.example.m2m.security.rules.Tokens.verdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class AllowedClientsTest {

    private static AllowedClients allowing(String... clients) {
        return new AllowedClients(clients.length == 0 ? Optional.empty() : Optional.of(List.of(clients)));
    }

    @Test
    void aListedClientPassesWhicheverClaimNamesIt() throws Exception {
        AllowedClients rule = allowing("app-1", " app-2 ");
        assertNull(verdict(rule, signed("{\"client_id\":\"app-1\",\"sub\":\"app-1\"}"))); // Cognito, RFC 9068
        assertNull(verdict(rule, signed("{\"appid\":\"app-2\",\"sub\":\"oid-1\"}")));      // Entra ID v1.0
        assertNull(verdict(rule, signed("{\"cid\":\"app-1\",\"sub\":\"app-1\"}")));        // Okta
    }

    @Test
    void anotherClientOrNoneIsRefused() throws Exception {
        AllowedClients rule = allowing("app-1");
        assertEquals(RuleViolation.CLIENT_NOT_ALLOWED, verdict(rule, signed("{\"client_id\":\"app-9\"}")));
        assertEquals(RuleViolation.CLIENT_NOT_ALLOWED, verdict(rule, signed("{}")));
        // The claim that names the client decides, not another claim that happens to hold a listed id.
        assertEquals(RuleViolation.CLIENT_NOT_ALLOWED,
                verdict(rule, signed("{\"client_id\":\"app-9\",\"sub\":\"app-1\"}")));
    }

    @Test
    void unsetOrAnyAcceptsEveryClient() throws Exception {
        assertNull(verdict(allowing(), signed("{\"client_id\":\"whoever\"}")));
        assertNull(verdict(allowing("any"), signed("{\"client_id\":\"whoever\"}")));
    }
}
