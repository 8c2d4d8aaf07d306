package com.vibecraft.pipeline.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SegmentEnergyTest {

    /** Straightforward O(n·frame) reference: librosa rms(center=True, pad_mode="constant"). */
    static double[] naiveMeanRms(float[] y, float sr, List<RawSegment> segments) {
        int n = y.length;
        int nFrames = 1 + n / 512;
        double[] rms = new double[nFrames];
        double songSum = 0;
        for (int i = 0; i < nFrames; i++) {
            double sum = 0;
            for (int k = i * 512 - 1024; k < i * 512 + 1024; k++) {
                if (k >= 0 && k < n) {
                    sum += (double) y[k] * y[k];
                }
            }
            rms[i] = Math.sqrt(sum / 2048);
            songSum += rms[i];
        }
        double songMean = songSum / nFrames;
        double[] out = new double[segments.size()];
        for (int s = 0; s < out.length; s++) {
            double start = segments.get(s).startMs() / 1000.0;
            double end = segments.get(s).endMs() / 1000.0;
            double sum = 0;
            int count = 0;
            for (int i = 0; i < nFrames; i++) {
                double t = i * 512.0 / sr;
                if (t >= start && t < end) {
                    sum += rms[i];
                    count++;
                }
            }
            out[s] = count > 0 ? sum / count : songMean;
        }
        return out;
    }

    private static float[] twoLevelSine(float sr, double secondsEach, double amp1, double amp2) {
        int half = (int) Math.round(sr * secondsEach);
        float[] y = new float[2 * half];
        for (int k = 0; k < y.length; k++) {
            double amp = k < half ? amp1 : amp2;
            y[k] = (float) (amp * Math.sin(2 * Math.PI * 440.0 * k / sr));
        }
        return y;
    }

    @Test
    void sineLevelsGiveTheirRmsPerSegment() {
        float sr = 22050f;
        float[] y = twoLevelSine(sr, 10.0, 0.1, 0.5);
        double[] e = SegmentEnergy.meanRms(y, sr, List.of(new RawSegment(0, 10_000, 0), new RawSegment(10_000, 20_000, 1)));
        double rms1 = 0.1 / Math.sqrt(2);
        double rms2 = 0.5 / Math.sqrt(2);
        assertEquals(rms1, e[0], rms1 * 0.03);
        assertEquals(rms2, e[1], rms2 * 0.03);
    }

    @Test
    void segmentWithoutFramesGetsSongMean() {
        float sr = 22050f;
        float[] y = twoLevelSine(sr, 10.0, 0.1, 0.5);
        List<RawSegment> segs = List.of(
                new RawSegment(0, 10_000, 0),
                new RawSegment(20_000, 25_000, 1), // after the last frame centre (19.99 s)
                new RawSegment(5_000, 5_000, 2),   // zero length
                new RawSegment(6_000, 6_010, 3));  // 10 ms, between two frame centres (23.2 ms apart)
        double[] e = SegmentEnergy.meanRms(y, sr, segs);
        double songMean = 0;
        double[] frames = SegmentEnergy.frameRms(y);
        for (double f : frames) {
            songMean += f;
        }
        songMean /= frames.length;
        // song mean is roughly the average of the two levels
        assertEquals((0.1 + 0.5) / 2 / Math.sqrt(2), songMean, 0.01);
        assertEquals(songMean, e[1], 1e-12);
        assertEquals(songMean, e[2], 1e-12);
        assertEquals(songMean, e[3], 1e-12);
        assertArrayEquals(naiveMeanRms(y, sr, segs), e, 1e-9);
    }

    @Test
    void frameCountAndEdgesMatchLibrosaCentring() {
        // 1 + n/512 frames; frame 0 is centred at sample 0 and half of it is zero padding
        float[] y = new float[5000];
        java.util.Arrays.fill(y, 1f);
        double[] rms = SegmentEnergy.frameRms(y);
        assertEquals(1 + 5000 / 512, rms.length);
        assertEquals(Math.sqrt(1024.0 / 2048), rms[0], 1e-12);
        assertEquals(1.0, rms[2], 1e-12); // samples [0, 2048) all inside
        // empty signal: one all-padding frame
        assertArrayEquals(new double[] {0.0}, SegmentEnergy.frameRms(new float[0]), 0.0);
        assertArrayEquals(new double[] {0.0},
                SegmentEnergy.meanRms(new float[0], 16000f, List.of(new RawSegment(0, 1000, 0))), 0.0);
    }

    @Test
    void fastImplementationMatchesNaiveReferenceOnRandomData() {
        Random rnd = new Random(42);
        for (int trial = 0; trial < 20; trial++) {
            int n = rnd.nextInt(200_000) + (trial == 0 ? 0 : 1);
            float sr = trial % 2 == 0 ? 16000f : 22050f; // at 16 kHz frame centres fall on whole ms (32 ms hop)
            float[] y = new float[n];
            for (int k = 0; k < n; k++) {
                y[k] = (float) (rnd.nextGaussian() * (0.05 + 0.5 * (k % 70_000) / 70_000.0));
            }
            long durMs = (long) (n * 1000.0 / sr);
            List<RawSegment> segs = new ArrayList<>();
            for (int s = 0; s < 30; s++) {
                long a = rnd.nextInt((int) durMs + 2000) - 1000;
                long b = a + rnd.nextInt(20_000);
                if (rnd.nextInt(4) == 0) {
                    a = 32L * rnd.nextInt(1 + (int) (durMs / 32)); // exactly on a frame centre at 16 kHz
                    b = a + 32L * rnd.nextInt(200);
                }
                segs.add(new RawSegment(a, b, s));
            }
            double[] fast = SegmentEnergy.meanRms(y, sr, segs);
            double[] slow = naiveMeanRms(y, sr, segs);
            assertArrayEquals(slow, fast, 1e-6, "trial " + trial);
        }
    }

    @Test
    void rejectsBadSampleRate() {
        assertThrows(IllegalArgumentException.class, () -> SegmentEnergy.meanRms(new float[10], 0f, List.of()));
        assertThrows(IllegalArgumentException.class, () -> SegmentEnergy.meanRms(new float[10], Float.NaN, List.of()));
    }
}
