package com.vibecraft.pipeline.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class AudioDecoderReduceTest {

    @Test
    void highRatesAreLowPassedAndDecimatedByWholeFactors() {
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
        // a 14 kHz hi-hat tone would fold to 8.05 kHz at 22.05 kHz: the low-pass removes it
        float[] hat = new float[44100 * 2];
        for (int i = 0; i < hat.length; i++) {
            hat[i] = (float) (0.5 * Math.sin(2 * Math.PI * 14000 * i / 44100.0));
        }
        double folded = 0;
        for (float v : new AudioDecoder(24000).reduce(new DecodedAudio(hat, 44100, AudioKind.OGG)).samples()) {
            folded += v * v;
        }
        folded = Math.sqrt(folded / (hat.length / 2.0));
        assertEquals(0.0, folded, 0.5 / Math.sqrt(2) * 0.01, "aliased level " + folded + " (at least 40 dB down)");
        assertEquals(24000f, new AudioDecoder(24000).reduce(new DecodedAudio(new float[96000], 96000, AudioKind.WAV))
                .sampleRate());
        DecodedAudio low = new DecodedAudio(new float[22050], 22050, AudioKind.WAV);
        assertSame(low, new AudioDecoder(24000).reduce(low));
        DecodedAudio nativeRate = new DecodedAudio(x, 44100, AudioKind.WAV);
        assertSame(nativeRate, new AudioDecoder().reduce(nativeRate));
    }
}
