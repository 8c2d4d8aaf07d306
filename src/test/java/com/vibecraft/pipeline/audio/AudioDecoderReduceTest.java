package com.vibecraft.pipeline.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class AudioDecoderReduceTest {

    @Test
    void highRatesAreAveragedDownByWholeFactors() {
        float[] x = new float[44100 * 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / 44100.0));
        }
        DecodedAudio reduced = new AudioDecoder(24000).reduce(new DecodedAudio(x, 44100, AudioKind.MP3));
        assertEquals(22050f, reduced.sampleRate());
        assertEquals(2.0, reduced.durationSec(), 1e-3);
        double rms = 0;
        for (float v : reduced.samples()) {
            rms += v * v;
        }
        rms = Math.sqrt(rms / reduced.samples().length);
        assertEquals(0.5 / Math.sqrt(2), rms, 0.01, "a 440 Hz tone keeps its level");
        assertEquals(24000f, new AudioDecoder(24000).reduce(new DecodedAudio(new float[96000], 96000, AudioKind.WAV))
                .sampleRate());
        DecodedAudio low = new DecodedAudio(new float[22050], 22050, AudioKind.WAV);
        assertSame(low, new AudioDecoder(24000).reduce(low));
        DecodedAudio nativeRate = new DecodedAudio(x, 44100, AudioKind.WAV);
        assertSame(nativeRate, new AudioDecoder().reduce(nativeRate));
    }
}
