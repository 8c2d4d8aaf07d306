package com.vibecraft.pipeline.analysis.detector;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BarSegmentationTest {

    private static double[] unitSec(int n) {
        double[] t = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            t[i] = 0.5 * i;
        }
        return t;
    }

    @Test
    void movesABoundaryOneBarToAClearlyStrongerFineNoveltyPeak() {
        int n = 200;
        double[] fine = new double[n];
        fine[40] = 0.3;
        fine[44] = 1.0; // one bar (4 beats) later, clearly stronger
        assertEquals(List.of(44), BarSegmentation.refine(List.of(40), fine, unitSec(n), 8.0, 100.0));
        fine[44] = 0.35; // not clearly stronger: stays
        assertEquals(List.of(40), BarSegmentation.refine(List.of(40), fine, unitSec(n), 8.0, 100.0));
    }

    /** Bar-start evidence: strong on every 4th unit from {@code phase}, from unit {@code from} on. */
    private static void bars(double[] ev, int from, int phase) {
        for (int u = from; u < ev.length; u++) {
            ev[u] = Math.floorMod(u - phase, 4) == 0 ? 3.0 : 1.0;
        }
    }

    @Test
    void aSectionIsPlacedOnItsOwnBarLines() {
        // the first part's bars start on phase 1; after 23.5 bars (unit 94) the next part's on phase 2
        int n = 200;
        double[] ev = new double[n];
        bars(ev, 0, 1);
        bars(ev, 94, 2);
        assertEquals(2, StructureSegmenter.sectionPhase(ev, 94, 1));
        assertEquals(2, StructureSegmenter.sectionPhase(ev, 95, 1), "a beat after the change");
        assertEquals(1, StructureSegmenter.sectionPhase(ev, 40, 1), "inside the first part");
        double[] flat = new double[n];
        java.util.Arrays.fill(flat, 1.0);
        assertEquals(1, StructureSegmenter.sectionPhase(flat, 94, 1), "no clear evidence: the song's phase");

        // a novelty peak at the change (moved one beat later for pick-ups, then snapped to a bar line)
        double[] nov = new double[n];
        for (int u = 0; u < n; u++) {
            nov[u] = Math.exp(-0.5 * Math.pow((u - 93) / 4.0, 2));
        }
        int[] songPhase = new int[n];
        java.util.Arrays.fill(songPhase, 1);
        double[] t = unitSec(n);
        assertEquals(List.of(93), StructureSegmenter.pickPeaks(nov, t, 8.0, 100.0, 0.5, songPhase, 16),
                "the song's bar line, a beat before the change");
        assertEquals(List.of(94), StructureSegmenter.pickPeaks(nov, t, 8.0, 100.0, 0.5, songPhase, 16, ev),
                "the new part's first bar line");
    }

    @Test
    void keepsTheMinimumSectionLength() {
        int n = 200;
        double[] fine = new double[n];
        fine[16] = 1.0; // would leave an 8 s first section... but the minimum is 10 s
        assertEquals(List.of(20), BarSegmentation.refine(List.of(20), fine, unitSec(n), 10.0, 100.0));
    }
}
