package com.vibecraft.pipeline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InboxBackoffTest {

    @Test
    void theWaitDoublesUpToTheMaximumAndEndsWhenTheFileIsTakenIn() {
        AtomicLong now = new AtomicLong(1_000);
        InboxBackoff b = new InboxBackoff(100, 1_000, now::get);
        assertTrue(b.isDue("/in/a.wav"));
        assertEquals(100, b.failed("/in/a.wav"));
        assertFalse(b.isDue("/in/a.wav"));
        assertTrue(b.isDue("/in/other.wav"), "other files are not held");
        now.addAndGet(100);
        assertTrue(b.isDue("/in/a.wav"));
        assertEquals(200, b.failed("/in/a.wav"));
        assertEquals(400, b.failed("/in/a.wav"));
        assertEquals(800, b.failed("/in/a.wav"));
        assertEquals(1_000, b.failed("/in/a.wav"), "bounded");
        for (int i = 0; i < 70; i++) {
            assertEquals(1_000, b.failed("/in/a.wav"), "no overflow after many faults");
        }
        assertEquals(75, b.failures("/in/a.wav"));
        b.forget("/in/a.wav");
        assertTrue(b.isDue("/in/a.wav"));
        assertEquals(0, b.failures("/in/a.wav"));
        assertThrows(IllegalArgumentException.class, () -> new InboxBackoff(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new InboxBackoff(10, 5));
    }
}
