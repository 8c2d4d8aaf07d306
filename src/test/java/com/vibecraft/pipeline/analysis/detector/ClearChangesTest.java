package com.vibecraft.pipeline.analysis.detector;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** How clear changes of sound join the boundaries found on the beat grid ({@code StructureSegmenter.withClearChanges}). */
class ClearChangesTest {

    private static final double FRAME_RATE = 22050.0 / 512;

    /** A contrast curve with a one-second-wide peak of the given height at each time. */
    private static double[] contrast(double durationSec, double[] peakSec, double[] height) {
        double[] c = new double[(int) (durationSec * FRAME_RATE)];
        for (int i = 0; i < peakSec.length; i++) {
            int centre = (int) Math.round(peakSec[i] * FRAME_RATE);
            int half = (int) (0.5 * FRAME_RATE);
            for (int d = -half; d <= half; d++) {
                int t = centre + d;
                if (t >= 0 && t < c.length) {
                    c[t] = Math.max(c[t], height[i] * (1.0 - Math.abs(d) / (double) (half + 1)));
                }
            }
        }
        return c;
    }

    @Test
    void partsExactlyOneMinimumSectionLongKeepEveryChangeThoughFramesMeasureThemAHairShort() {
        // 6 bars at 180 BPM = 8.0 s parts; measured on frames the changes are 8.01 and 7.99 s apart
        double[] at = {8.01, 16.02, 24.01, 32.02, 40.01};
        double[] c = contrast(48.0, at, new double[]{13.5, 12.3, 13.5, 12.3, 13.5});
        double[] out = StructureSegmenter.withClearChanges(new double[]{16.02, 32.02}, c, FRAME_RATE, 8.0, 48.0);
        assertEquals(at.length, out.length, java.util.Arrays.toString(out));
        for (int i = 0; i < at.length; i++) {
            assertEquals(at[i], out[i], 0.05, java.util.Arrays.toString(out));
        }
    }

    @Test
    void clearChangesCloserThanTheMinimumSectionAreStillOne() {
        // a second clear change 6 s after the stronger one is not a section of its own
        double[] c = contrast(60.0, new double[]{20.0, 26.0}, new double[]{20.0, 10.0});
        double[] out = StructureSegmenter.withClearChanges(new double[0], c, FRAME_RATE, 8.0, 60.0);
        assertArrayEquals(new double[]{20.0}, out, 0.05);
    }
}
