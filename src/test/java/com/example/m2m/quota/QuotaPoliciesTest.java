package com.example.m2m.quota;

import com.example.m2m.limits.Rate;
import com.example.m2m.limits.WindowCounters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class QuotaPoliciesTest {

    private static QuotaPolicies policies(String defaultRate, String clients, String scopes) {
        return new QuotaPolicies(defaultRate, Optional.ofNullable(clients), Optional.ofNullable(scopes));
    }

    @Test
    void everyClientHasTheDefault() {
        QuotaPolicy policy = policies("100/1s", null, null).policyFor("any", Set.of("read:messages"));
        assertEquals(new QuotaPolicy(QuotaPolicy.DEFAULT, new Rate(100, 1)), policy);
    }

    @Test
    void aClientsOwnQuotaComesFirstEvenOverAScopesOne() {
        QuotaPolicies policies = policies("100/1s", "batch=1000/1m, ops=off", "tier:gold=500/1s");
        assertEquals(new QuotaPolicy(QuotaPolicy.CLIENT, new Rate(1000, 60)),
                policies.policyFor("batch", Set.of("tier:gold")));
        assertNull(policies.policyFor("ops", Set.of()), "off: no quota for that client");
        assertEquals(QuotaPolicy.DEFAULT, policies.policyFor("other", Set.of("read:messages")).name());
    }

    @Test
    void amongScopesTheMostGenerousApplies() {
        QuotaPolicies policies = policies("10/1s", null, "tier:silver=100/1s,tier:gold=12000/1m,tier:bronze=50/1s");
        assertEquals(new Rate(12000, 60), policies.policyFor("c", Set.of("tier:silver", "tier:gold")).rate());
        assertEquals(new Rate(100, 1), policies.policyFor("c", Set.of("tier:silver", "tier:bronze")).rate());
        assertEquals(QuotaPolicy.SCOPE, policies.policyFor("c", Set.of("tier:bronze")).name());
        assertNull(policies("10/1s", null, "internal=off").policyFor("c", Set.of("internal", "x")));
    }

    @Test
    void offByDefaultAndThenNothingIsCounted() {
        QuotaPolicies none = policies("off", null, null);
        assertFalse(none.any());
        assertNull(none.policyFor("c", Set.of("read:messages")));
        assertFalse(policies("off", "ops=off", "x=off").any(), "only exemptions: still nothing to count");
        assertTrue(policies("off", "batch=1/1s", null).any());
        assertNull(policies("off", "batch=1/1s", null).policyFor("other", Set.of()), "only named clients");
    }

    @Test
    void aClientWithoutAnIdIsHeldToTheScopeOrDefaultQuota() {
        assertEquals(QuotaPolicy.DEFAULT, policies("5/1s", "a=1/1s", null).policyFor(null, Set.of()).name());
    }

    @Test
    void pairsAreSplitAtTheirLastEqualsSign() {
        assertEquals(Map.of("urn:x=y", new Rate(5, 1)), QuotaPolicies.parsePairs("urn:x=y=5/1s"));
        assertThrows(IllegalArgumentException.class, () -> QuotaPolicies.parsePairs("=5/1s"));
        assertThrows(IllegalArgumentException.class, () -> QuotaPolicies.parsePairs("batch"));
        assertThrows(IllegalArgumentException.class, () -> QuotaPolicies.parsePairs("batch=lots"));
        assertEquals(Map.of(), QuotaPolicies.parsePairs(" , "));
    }

    @Test
    void theHeadersFollowTheRateLimitDraft() {
        QuotaPolicy policy = new QuotaPolicy(QuotaPolicy.DEFAULT, new Rate(100, 60));
        assertEquals("\"default\";q=100;w=60", policy.policyHeader());
        assertEquals("\"default\";r=58;t=17",
                policy.currentHeader(new WindowCounters.Count(42, new Rate(100, 60), 17)));
        assertEquals("\"default\";r=0;t=3", policy.currentHeader(new WindowCounters.Count(101, new Rate(100, 60), 3)),
                "over the limit: nothing remains, never a negative count");
    }
}
