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

    @Test
    void keepsTheMinimumSectionLength() {
        int n = 200;
        double[] fine = new double[n];
        fine[16] = 1.0; // would leave an 8 s first section... but the minimum is 10 s
        assertEquals(List.of(20), BarSegmentation.refine(List.of(20), fine, unitSec(n), 10.0, 100.0));
    }
}
