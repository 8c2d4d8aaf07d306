package com.vibecraft.pipeline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class FileNamesTest {

    @Test
    void keepsOnlyASafeDisplayName() {
        assertEquals("passwd", FileNames.sanitize("../../etc/passwd"));
        assertEquals("evil.mp3", FileNames.sanitize("C:\\Users\\x\\evil.mp3"));
        assertEquals("nulname.wav", FileNames.sanitize("nul\u0000name.wav"));
        assertEquals("hidden.wav", FileNames.sanitize(".hidden.wav"));
        assertEquals("歌曲 – ünïcödé.mp3", FileNames.sanitize("歌曲 – ünïcödé.mp3"));
        assertEquals(255, FileNames.sanitize("a".repeat(300) + ".mp3").length());
        assertNull(FileNames.sanitize("../"));
        assertNull(FileNames.sanitize(null));
        assertEquals("song", FileNames.titleFrom("song.mp3"));
    }
}
