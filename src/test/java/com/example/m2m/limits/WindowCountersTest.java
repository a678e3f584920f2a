package com.example.m2m.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.example.m2m.testsupport.TestClock;

class WindowCountersTest {

    /** 2026-11-30T00:00:00Z, a whole minute: windows of 1 s, 10 s and 60 s all start here. */
    private static final long WINDOW_START = 1_795_996_800_000L;

    private final TestClock clock = new TestClock(WINDOW_START);
    private final WindowCounters counters = new WindowCounters(1_000, clock);

    @Test
    void countsUpToTheLimitThenSaysOver() {
        Rate rate = new Rate(3, 10);
        for (long n = 1; n <= 3; n++) {
            WindowCounters.Count count = counters.count("a", rate);
            assertEquals(n, count.count());
            assertEquals(3 - n, count.remaining());
            assertFalse(count.over());
        }
        WindowCounters.Count fourth = counters.count("a", rate);
        assertTrue(fourth.over());
        assertEquals(0, fourth.remaining());
    }

    @Test
    void namesAreCountedApart() {
        Rate rate = new Rate(1, 10);
        counters.count("a", rate);
        assertTrue(counters.count("a", rate).over());
        assertFalse(counters.count("b", rate).over());
    }

    @Test
    void theWindowsAreAlignedToTheEpochAndTheCountStartsAgainInTheNext() {
        Rate rate = new Rate(2, 10);
        clock.advanceSeconds(7);
        counters.count("a", rate);
        WindowCounters.Count second = counters.count("a", rate);
        assertEquals(3, second.resetSeconds(), "the window started at :00 and ends at :10");
        assertTrue(counters.count("a", rate).over());

        clock.advanceSeconds(3);
        WindowCounters.Count next = counters.count("a", rate);
        assertEquals(1, next.count());
        assertEquals(10, next.resetSeconds());
    }

    @Test
    void theResetIsWholeSecondsRoundedUpAndNeverZero() {
        Rate rate = new Rate(5, 1);
        clock.advanceMillis(999);
        assertEquals(1, counters.count("a", rate).resetSeconds(), "1 ms left: 1 s, not 0");
        clock.advanceMillis(1);
        Rate minute = new Rate(5, 60);
        clock.advanceMillis(500);
        assertEquals(59, counters.count("b", minute).resetSeconds(), "58.5 s left: 59 s");
    }

    @Test
    void spentForSaysHowLongWithoutCounting() {
        Rate rate = new Rate(2, 60);
        assertEquals(0, counters.spentFor("a", rate));
        counters.count("a", rate);
        assertEquals(0, counters.spentFor("a", rate));
        counters.count("a", rate);
        clock.advanceSeconds(20);
        assertEquals(40, counters.spentFor("a", rate));
        assertEquals(40, counters.spentFor("a", rate), "asking does not count");
        clock.advanceSeconds(40);
        assertEquals(0, counters.spentFor("a", rate), "a new window");
    }

    @Test
    void boundedPastTheLimitEndedWindowsGoThenNewNamesAreNotKept() {
        WindowCounters small = new WindowCounters(3, clock);
        Rate rate = new Rate(1, 10);
        small.count("a", rate);
        small.count("b", rate);
        small.count("c", rate);
        assertEquals(1, small.count("d", rate).count(), "no room: counted as a first event, not kept");
        assertFalse(small.count("d", rate).over());
        assertEquals(3, small.names());

        clock.advanceSeconds(10);
        small.count("d", rate);
        assertEquals(1, small.names(), "the ended windows' counters went to make room");
        assertTrue(small.count("d", rate).over(), "and d is counted now");
    }
}
