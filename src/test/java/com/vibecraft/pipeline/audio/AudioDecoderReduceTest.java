package com.vibecraft.pipeline.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Random;

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

    /**
     * The decimation computes several outputs at once; each must be the plain convolution, summed in
     * the same order, to the bit — at both ends and for every length (a detector decision can turn on
     * the last bit).
     */
    @Test
    void decimationIsThePlainConvolutionToTheBit() {
        Random random = new Random(7);
        for (int rate : new int[]{44100, 96000}) {
            AudioDecoder decoder = new AudioDecoder(22050);
            int k = (int) Math.ceil(rate / 22050f);
            float[] h = AudioDecoder.lowPass(k);
            int half = h.length / 2;
            for (int length = 1; length < 400; length += 1 + length / 20) {
                float[] in = new float[length];
                for (int i = 0; i < length; i++) {
                    in[i] = (float) random.nextGaussian();
                }
                float[] expected = new float[length / k];
                for (int i = 0; i < expected.length; i++) {
                    double acc = 0;
                    for (int m = 0; m < h.length; m++) {
                        int j = i * k + m - half;
                        if (j >= 0 && j < length) {
                            acc += h[m] * in[j];
                        }
                    }
                    expected[i] = (float) acc;
                }
                assertArrayEquals(expected, decoder.reduce(new DecodedAudio(in, rate, AudioKind.WAV)).samples(),
                        rate + " Hz, " + length + " samples");
            }
        }
    }
}
