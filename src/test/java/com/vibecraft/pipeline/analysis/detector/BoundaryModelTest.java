package com.vibecraft.pipeline.analysis.detector;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The learned boundary model: its file format, training, scoring and boundary choice. */
class BoundaryModelTest {

    private static final int D = BoundaryFeatures.NAMES.size();
    private static final int NOV = BoundaryFeatures.NAMES.indexOf("nov");

    /** Rows whose "nov" column is high exactly at the given units. */
    private static double[][] rows(int n, int[] starts, Random r) {
        double[][] x = new double[n][D];
        for (double[] row : x) {
            row[0] = 1;
            for (int i = 1; i < D; i++) {
                row[i] = r.nextDouble();
            }
            row[NOV] = 0.3 * r.nextDouble();
        }
        for (int s : starts) {
            x[s][NOV] = 0.8 + 0.2 * r.nextDouble();
        }
        return x;
    }

    private static BoundaryModel trained() {
        Random r = new Random(1);
        List<double[][]> xs = new ArrayList<>();
        List<int[]> ys = new ArrayList<>();
        for (int song = 0; song < 12; song++) {
            int[] starts = {32, 64, 96, 128};
            xs.add(rows(160, starts, r));
            int[] y = new int[160];
            for (int s : starts) {
                y[s] = 1;
            }
            ys.add(y);
        }
        return BoundaryModel.fit(xs, ys, 0.5);
    }

    @Test
    void learnsASeparableSignalDeterministically() {
        BoundaryModel m = trained();
        assertEquals(m.toText(), trained().toText(), "same data, same model");
        double[][] x = rows(160, new int[] {40, 120}, new Random(9));
        double[] p = m.score(x);
        for (int u = 0; u < p.length; u++) {
            if (u == 40 || u == 120) {
                assertTrue(p[u] > 0.4, "start " + u + " p " + p[u]); // shrinkage keeps it below 1
            } else {
                assertTrue(p[u] < 0.1, "unit " + u + " p " + p[u]);
            }
        }
    }

    @Test
    void textFormRoundTrips() {
        BoundaryModel m = trained().withGaps(new double[] {-1, -1, 0.5, 2, -3}, 0.5).withThreshold(0.3);
        BoundaryModel back = BoundaryModel.parse(m.toText());
        assertEquals(m.toText(), back.toText());
        double[][] x = rows(100, new int[] {50}, new Random(3));
        assertArrayEquals(m.score(x), back.score(x), 1e-3);
        assertEquals(0.3, back.threshold(), 1e-9);
    }

    @Test
    void rejectsBrokenOrMismatchedFiles() {
        String good = trained().toText();
        assertThrows(IllegalArgumentException.class, () -> BoundaryModel.parse(good.replace("threshold", "# threshold")));
        assertThrows(IllegalArgumentException.class, () -> BoundaryModel.parse(good.replace("features bias", "features other")));
        assertThrows(IllegalArgumentException.class, () -> BoundaryModel.parse(good + "t 999 0 0 0 0 0 0 0 0 0\n"));
        assertThrows(IllegalArgumentException.class, () -> BoundaryModel.parse(good + "nonsense\n"));
        assertThrows(IllegalArgumentException.class, () -> BoundaryModel.parse("threshold 0.5\n"));
    }

    @Test
    void theShippedModelLoadsAndMatchesTheFeatures() {
        BoundaryModel m = BoundaryModel.bundled();
        assertTrue(m.trees() >= 10);
        assertTrue(m.threshold() > 0 && m.threshold() < 1);
        assertTrue(m.gapWeight() >= 0);
        double[] p = m.score(rows(50, new int[] {20}, new Random(4)));
        for (double v : p) {
            assertTrue(v >= 0 && v <= 1);
        }
    }

    @Test
    void boundaryChoiceKeepsTheMinimumLengthAndFollowsThePhrasePrior() {
        int n = 200;
        double[] unitSec = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            unitSec[i] = 0.5 * i; // 120 BPM beats
        }
        double[] p = new double[n];
        java.util.Arrays.fill(p, 0.01);
        p[32] = 0.9;
        p[64] = 0.3; // weak, but 32 beats after a strong start
        p[70] = 0.35; // a little stronger, at an unusual distance
        p[128] = 0.9;
        p[130] = 0.8; // too close to 128 for an 8 s section
        double[] prior = new double[66];
        java.util.Arrays.fill(prior, -2);
        prior[32] = 2;
        prior[64] = 2;
        BoundaryModel greedy = trained().withThreshold(0.25);
        assertEquals(List.of(32, 70, 128), greedy.pick(p, unitSec, 8, 100));
        BoundaryModel dp = greedy.withGaps(prior, 1.0);
        assertEquals(List.of(32, 64, 128), dp.pick(p, unitSec, 8, 100));
        // a given number of starts: the best set of that size under the same score and prior
        assertEquals(List.of(32, 64, 128), dp.pickCount(p, unitSec, 8, 100, 3, true));
        // two: 32 and 64 (a weak start where the phrase prior wants one) beat 32 and 128 (96 beats apart)
        assertEquals(List.of(32, 64), dp.pickCount(p, unitSec, 8, 100, 2, true));
        assertEquals(dp.pick(p, unitSec, 8, 100), dp.pickCount(p, unitSec, 8, 100, 50, false));
        assertEquals(List.of(32, 64, 128), dp.pickCount(p, unitSec, 8, 100, 4, false));
        assertEquals(null, dp.pickCount(p, unitSec, 8, 100, 4, true), "no 4 starts 8 s apart among the candidates");
        for (BoundaryModel m : List.of(greedy, dp)) {
            List<Integer> b = m.pick(p, unitSec, 30, 100);
            double prev = 0;
            for (int u : b) {
                assertTrue(unitSec[u] - prev >= 30, "min length: " + b);
                prev = unitSec[u];
            }
            assertTrue(100 - prev >= 30, "min length: " + b);
        }
    }
}
