package com.vibecraft.pipeline.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DecodedAudioCacheTest {

    @Test
    void decodesOncePerSongAndForgetsTheLeastRecentlyUsed() throws Exception {
        DecodedAudioCache cache = new DecodedAudioCache(2);
        AtomicInteger decodes = new AtomicInteger();
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        DecodedAudioCache.Decode decode = () -> {
            decodes.incrementAndGet();
            return new DecodedAudio(new float[10], 8000, AudioKind.WAV);
        };
        DecodedAudio first = cache.get(a, decode);
        assertSame(first, cache.get(a, decode));
        assertEquals(1, decodes.get());
        cache.get(b, decode);
        cache.get(a, decode); // a is now the most recent
        cache.get(c, decode); // evicts b
        assertEquals(3, decodes.get());
        cache.get(a, decode);
        assertEquals(3, decodes.get());
        cache.get(b, decode);
        assertEquals(4, decodes.get());
        assertEquals(2, cache.size());
    }
}
