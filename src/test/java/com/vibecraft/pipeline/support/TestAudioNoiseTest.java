package com.vibecraft.pipeline.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link TestAudio}'s noise is {@link Random}'s, number for number: the test songs stay what they were. */
class TestAudioNoiseTest {

    @Test
    void theNoiseDrawsRandomsNumbers() {
        for (long seed : new long[] {0, 1, 77, 1000, -5, System.nanoTime()}) {
            Random random = new Random(seed);
            TestAudio.Noise noise = new TestAudio.Noise(seed);
            for (int i = 0; i < 200_000; i++) {
                // interleaved as abab draws them: uniform draws for the clicks, then Gaussians
                boolean uniform = i % 7 == 0;
                double expected = uniform ? random.nextDouble() : random.nextGaussian();
                double actual = uniform ? noise.nextDouble() : noise.nextGaussian();
                if (Double.doubleToRawLongBits(expected) != Double.doubleToRawLongBits(actual)) {
                    fail("seed " + seed + " draw " + i + ": " + expected + " from Random, " + actual + " from the noise");
                }
            }
        }
    }
}
