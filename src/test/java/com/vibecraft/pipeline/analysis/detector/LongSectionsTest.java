package com.vibecraft.pipeline.analysis.detector;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** How over-long sections are split where a section most likely starts ({@code StructureSegmenter.withLongSectionsSplit}). */
class LongSectionsTest {

    private static final double BEAT_SEC = 0.5;

    /** Unit start times of a song of beats (n + 1 entries, the last = duration). */
    private static double[] units(double durationSec) {
        int n = (int) Math.round(durationSec / BEAT_SEC);
        double[] u = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            u[i] = i * BEAT_SEC;
        }
        return u;
    }

    /** Start evidence 0.01 everywhere with the given value at each time. */
    private static double[] evidence(double durationSec, double[] atSec, double[] value) {
        double[] p = new double[(int) Math.round(durationSec / BEAT_SEC)];
        Arrays.fill(p, 0.01);
        for (int i = 0; i < atSec.length; i++) {
            p[(int) Math.round(atSec[i] / BEAT_SEC)] = value[i];
        }
        return p;
    }

    @Test
    void aSectionOverTheLimitIsSplitAtItsStrongestInnerStart() {
        // 12-s intro, then 80 s the grid saw no start in; the join at 52 s shows faintly (0.15)
        double[] p = evidence(92.0, new double[]{30.0, 52.0}, new double[]{0.11, 0.15});
        double[] out = StructureSegmenter.withLongSectionsSplit(new double[]{12.0}, units(92.0), p, 8.0, 92.0);
        assertArrayEquals(new double[]{12.0, 52.0}, out, 1e-9);
    }

    @Test
    void theHalvesAreSplitAgainWhileTheyAreLongAndTheEvidenceHolds() {
        // 150 s without a start: split at 75 s, then each 75-s half at its own faint start
        double[] p = evidence(150.0, new double[]{40.0, 75.0, 110.0}, new double[]{0.12, 0.3, 0.2});
        double[] out = StructureSegmenter.withLongSectionsSplit(new double[0], units(150.0), p, 8.0, 150.0);
        assertArrayEquals(new double[]{40.0, 75.0, 110.0}, out, 1e-9);
    }

    @Test
    void musicThatDoesNotChangeStaysOneSection() {
        double[] p = evidence(120.0, new double[]{60.0}, new double[]{0.09});
        double[] out = StructureSegmenter.withLongSectionsSplit(new double[0], units(120.0), p, 8.0, 120.0);
        assertArrayEquals(new double[0], out, 1e-9);
    }

    @Test
    void sectionsWithinTheLimitAreLeftAlone() {
        // 40-s sections with a strong start inside each: not the long-section split's business
        double[] p = evidence(120.0, new double[]{20.0, 60.0, 100.0}, new double[]{0.5, 0.5, 0.5});
        double[] out = StructureSegmenter.withLongSectionsSplit(new double[]{40.0, 80.0}, units(120.0), p, 8.0, 120.0);
        assertArrayEquals(new double[]{40.0, 80.0}, out, 1e-9);
    }

    @Test
    void noSplitLeavesASectionShorterThanTheMinimum() {
        // the strongest evidence sits 4 s after the section start: the split takes the best start
        // at least 8 s from either end instead
        double[] p = evidence(70.0, new double[]{4.0, 66.0, 35.0}, new double[]{0.9, 0.9, 0.2});
        double[] out = StructureSegmenter.withLongSectionsSplit(new double[0], units(70.0), p, 8.0, 70.0);
        assertArrayEquals(new double[]{35.0}, out, 1e-9);
    }
}
