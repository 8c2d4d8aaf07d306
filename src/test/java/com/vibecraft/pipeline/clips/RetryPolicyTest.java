package com.vibecraft.pipeline.clips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void delaysGrowExponentiallyWithinTheJitterAndTheCap() {
        RetryPolicy p = new RetryPolicy(5, Duration.ofSeconds(10), 2, Duration.ofSeconds(60), 0.25);
        for (int i = 0; i < 200; i++) {
            assertBetween(p.delayAfter(1), 7_500, 12_500);
            assertBetween(p.delayAfter(2), 15_000, 25_000);
            assertBetween(p.delayAfter(3), 30_000, 50_000);
            assertBetween(p.delayAfter(6), 45_000, 75_000);
        }
        assertTrue(p.attemptsLeft(4));
        assertFalse(p.attemptsLeft(5));
    }

    @Test
    void jitterSpreadsTheDelays() {
        RetryPolicy p = new RetryPolicy(5, Duration.ofSeconds(10), 2, Duration.ofSeconds(60), 0.25);
        long distinct = java.util.stream.IntStream.range(0, 50).mapToObj(i -> p.delayAfter(1)).distinct().count();
        assertTrue(distinct > 10, "only " + distinct + " distinct delays");
        RetryPolicy exact = new RetryPolicy(3, Duration.ofSeconds(1), 3, Duration.ofSeconds(100), 0);
        assertEquals(Duration.ofSeconds(9), exact.delayAfter(3));
    }

    @Test
    void nonsenseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, Duration.ZERO, 2, Duration.ZERO, 0));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(3, Duration.ofSeconds(5), 2, Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(3, Duration.ofSeconds(1), 0.5, Duration.ofSeconds(5), 0));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(3, Duration.ofSeconds(1), 2, Duration.ofSeconds(5), 1));
    }

    private static void assertBetween(Duration d, long lo, long hi) {
        assertTrue(d.toMillis() >= lo && d.toMillis() <= hi, d + " not in [" + lo + ", " + hi + "] ms");
    }
}
