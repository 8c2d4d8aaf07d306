package com.vibecraft.pipeline.analysis.detector;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** How the novelty curves are scaled ({@code StructureSegmenter.normalizeByInteriorMax}). */
class NoveltyScaleTest {

    private static final double BEAT_SEC = 0.5;

    /** Unit start times of a song of beats (n + 1 entries, the last = duration). */
    private static double[] units(int n) {
        double[] u = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            u[i] = i * BEAT_SEC;
        }
        return u;
    }

    /** A 60-s curve: 0.1 everywhere, a section start of 0.5 at 30 s, and the given value in the last beat. */
    private static double[] curve(double lastBeat) {
        double[] x = new double[120];
        Arrays.fill(x, 0.1);
        x[60] = 0.5;
        x[119] = lastBeat;
        return x;
    }

    @Test
    void aPeakAtTheSongsEndDoesNotSetTheScale() {
        // two copies of one song whose ends ran out of music differently: the curves inside agree
        double[] a = curve(0.9);
        double[] b = curve(2.0);
        StructureSegmenter.normalizeByInteriorMax(a, units(120), StructureSegmenter.NORMALIZE_EDGE_SEC);
        StructureSegmenter.normalizeByInteriorMax(b, units(120), StructureSegmenter.NORMALIZE_EDGE_SEC);
        assertEquals(1.0, a[60], 1e-12);
        assertEquals(0.2, a[10], 1e-12);
        assertArrayEquals(Arrays.copyOf(a, 119), Arrays.copyOf(b, 119), 1e-12);
        assertEquals(4.0, b[119], 1e-12);
    }

    @Test
    void aSongWithoutAnInteriorIsScaledByItsMaximum() {
        // 12 s: no unit is 8 s from both ends
        double[] x = {0.2, 0.4, 0.8, 0.4, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1,
                0.1, 0.1, 0.1, 0.1, 0.1};
        StructureSegmenter.normalizeByInteriorMax(x, units(24), StructureSegmenter.NORMALIZE_EDGE_SEC);
        assertEquals(1.0, x[2], 1e-12);
        assertEquals(0.5, x[1], 1e-12);
    }

    @Test
    void anInteriorWithoutNoveltyFallsBackToTheMaximum() {
        double[] x = new double[120];
        x[3] = 0.4;
        StructureSegmenter.normalizeByInteriorMax(x, units(120), StructureSegmenter.NORMALIZE_EDGE_SEC);
        assertEquals(1.0, x[3], 1e-12);
        assertEquals(0.0, x[60], 1e-12);
    }
}
