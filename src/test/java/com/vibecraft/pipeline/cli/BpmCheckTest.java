package com.vibecraft.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpmCheckTest {

    @Test
    void countsStrictAndOctaveTolerantMatches(@TempDir Path tmp) throws Exception {
        Path index = tmp.resolve("index.json");
        Files.writeString(index, "{\"songs\":[{\"id\":\"001\",\"bpm\":64.0},{\"id\":\"002\",\"bpm\":120},{\"id\":\"003\",\"bpm\":90}]}");
        Map<String, Double> ref = BpmCheck.readReference(index);
        assertEquals(3, ref.size());
        BpmCheck check = new BpmCheck(ref);
        assertTrue(check.compare(Path.of("001.wav"), 64.9).endsWith("ok"));
        assertTrue(check.compare(Path.of("002.mp3"), 59.5).endsWith("octave"));
        assertTrue(check.compare(Path.of("003.wav"), 120).endsWith("MISS"));
        assertEquals("", check.compare(Path.of("999.wav"), 100));
        assertEquals("BPM within 2 %: 1/3 strict (33.3 %), 2/3 octave-tolerant (66.7 %)", check.summary().orElseThrow());
    }
}
