package com.vibecraft.pipeline.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written time stamps of the API are the text the ISO formatter writes, to the character. */
class JdbcIsoTest {

    private static String formatter(OffsetDateTime t) {
        return t.withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    @Test
    void sameTextAsTheIsoFormatter() {
        Random random = new Random(13);
        for (int i = 0; i < 20_000; i++) {
            long second = 946_684_800L + (long) (random.nextDouble() * 3_000_000_000L);
            int nano = switch (i % 5) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                case 3 -> random.nextInt(10) * 100_000_000;
                default -> random.nextInt(1_000_000_000);
            };
            ZoneOffset offset = ZoneOffset.ofTotalSeconds((random.nextInt(37) - 18) * 1800);
            OffsetDateTime t = OffsetDateTime.ofInstant(java.time.Instant.ofEpochSecond(second, nano), offset);
            assertEquals(formatter(t), Jdbc.iso(t), "for " + t);
        }
        OffsetDateTime midnight = OffsetDateTime.of(2026, 1, 2, 0, 0, 0, 0, ZoneOffset.UTC);
        assertEquals("2026-01-02T00:00:00Z", Jdbc.iso(midnight));
        assertEquals("2026-01-02T00:00:00.12Z", Jdbc.iso(midnight.plusNanos(120_000_000)));
        assertEquals("2026-01-02T00:00:00.000001Z", Jdbc.iso(midnight.plusNanos(1000)));
        OffsetDateTime farAway = OffsetDateTime.of(12026, 1, 2, 0, 0, 0, 0, ZoneOffset.UTC);
        assertEquals(formatter(farAway), Jdbc.iso(farAway));
        assertNull(Jdbc.iso(null));
    }
}
