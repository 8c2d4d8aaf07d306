package com.vibecraft.pipeline.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Clip and job ids: RFC 9562 version 7, unique, and ordered by the millisecond they were made in. */
class TimeOrderedIdsTest {

    @Test
    void idsAreVersion7WithTheirMillisecondInFront() {
        long ms = 1_765_000_000_123L;
        UUID id = TimeOrderedIds.at(ms);
        assertEquals(7, id.version());
        assertEquals(2, id.variant());
        assertEquals(ms, id.getMostSignificantBits() >>> 16);
        assertEquals(7, TimeOrderedIds.next().version());
    }

    @Test
    void laterMillisecondsSortAfterEarlierOnesAndNoIdRepeats() {
        List<UUID> ids = new ArrayList<>();
        for (long ms = 1_765_000_000_000L; ms < 1_765_000_000_000L + 2_000; ms++) {
            ids.add(TimeOrderedIds.at(ms));
            ids.add(TimeOrderedIds.at(ms));
        }
        for (int i = 2; i < ids.size(); i++) {
            // the order a database index keeps them in (H2 and PostgreSQL compare UUIDs as unsigned bytes)
            assertTrue(Long.compareUnsigned(ids.get(i - 2).getMostSignificantBits(), ids.get(i).getMostSignificantBits()) < 0,
                    "id " + i + " sorts after the ids of the millisecond before");
        }
        assertEquals(ids.size(), new HashSet<>(ids).size());
    }
}
