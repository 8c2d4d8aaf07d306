package com.vibecraft.pipeline.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void parsesTheRangeForms() {
        assertEquals(Optional.of(new ByteRange(0, 99)), ByteRange.parse("bytes=0-99", 1000));
        assertEquals(Optional.of(new ByteRange(500, 999)), ByteRange.parse("bytes=500-", 1000));
        assertEquals(Optional.of(new ByteRange(990, 999)), ByteRange.parse("bytes=-10", 1000));
        assertEquals(Optional.of(new ByteRange(900, 999)), ByteRange.parse("bytes=900-5000", 1000));
        assertEquals(Optional.of(new ByteRange(0, 999)), ByteRange.parse("bytes=-5000", 1000));
        assertEquals(Optional.of(new ByteRange(0, 999)), ByteRange.parse("bytes=0-99999999999999999999", 1000));
        assertEquals(Optional.of(new ByteRange(0, 999)), ByteRange.parse("bytes=-99999999999999999999", 1000));
    }

    @Test
    void noOrSeveralRangesMeanTheWholeFile() {
        assertTrue(ByteRange.parse(null, 1000).isEmpty());
        assertTrue(ByteRange.parse("items=0-1", 1000).isEmpty());
        assertTrue(ByteRange.parse("bytes=0-1,5-6", 1000).isEmpty());
    }

    @Test
    void unsatisfiableRangesAre416() {
        // RFC 9110 lets a server reject an invalid ranges-specifier; we do, with 416
        for (String h : new String[] {"bytes=1000-", "bytes=5-2", "bytes=-0", "bytes=abc", "bytes=1-x", "bytes=7",
                "bytes=99999999999999999999-"}) {
            ApiException e = assertThrows(ApiException.class, () -> ByteRange.parse(h, 1000), h);
            assertEquals(416, e.status());
        }
    }

    @Test
    void longRangesAreCapped() {
        assertEquals(new ByteRange(10, 19), new ByteRange(10, 999).capped(10));
        assertEquals(new ByteRange(10, 12), new ByteRange(10, 12).capped(10));
    }
}
