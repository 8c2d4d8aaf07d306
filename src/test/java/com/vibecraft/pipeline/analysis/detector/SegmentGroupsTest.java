package com.vibecraft.pipeline.analysis.detector;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Grouping of segments into materials ({@link StructureSegmenter#clusterSegments}): parts that share
 * chords and instruments but differ in their drums are two materials only when the rhythm difference
 * holds between every occurrence of one and every occurrence of the other.
 */
class SegmentGroupsTest {

    /** Four 8-unit segments A B A B: exact repeats 0.99 alike, A against B 0.93 (same chords and instruments). */
    private static double[][] abab() {
        int n = 32;
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                s[i][j] = (i / 8) % 2 == (j / 8) % 2 ? 0.99 : 0.93;
            }
        }
        return s;
    }

    private static final int[] EDGES = {0, 8, 16, 24, 32};

    /** Rhythm contrast {@code ab} between every A and every B, 0.05 between repeats. */
    private static double[][] rhythm(double ab) {
        double[][] r = new double[4][4];
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b < 4; b++) {
                r[a][b] = a == b ? 0 : a % 2 == b % 2 ? 0.05 : ab;
            }
        }
        return r;
    }

    @Test
    void harmonyAndTimbreAloneMakeOneMaterial() {
        int[] id = StructureSegmenter.clusterSegments(abab(), EDGES, null, 0, null);
        assertArrayEquals(new int[] {0, 0, 0, 0}, id);
        assertArrayEquals(new int[] {0, 0, 0, 0},
                StructureSegmenter.clusterSegments(abab(), EDGES, null, 0, rhythm(0.2)));
    }

    @Test
    void aDrumKitEnteringInEveryOccurrenceIsAnotherPart() {
        int[] id = StructureSegmenter.clusterSegments(abab(), EDGES, null, 0, rhythm(3.0));
        assertArrayEquals(new int[] {0, 1, 0, 1}, id);
    }

    @Test
    void aRhythmDifferenceThatOneRepeatDoesNotShareKeepsOneMaterial() {
        double[][] r = rhythm(3.0);
        r[2][3] = 0.3;
        r[3][2] = 0.3;
        int[] id = StructureSegmenter.clusterSegments(abab(), EDGES, null, 0, r);
        assertEquals(1, Arrays.stream(id).distinct().count());
    }

    @Test
    void rhythmContrastIsLargeOnlyWhereTheStrikesChange() {
        // 16 units: onset and bass onset low in the first 8, high in the last 8, with bar-to-bar jitter
        double[][] prof = new double[16][];
        for (int u = 0; u < 16; u++) {
            double jitter = 0.05 * ((u / 4) % 2 == 0 ? 1 : -1);
            double level = u < 8 ? -1 : 1;
            prof[u] = new double[] {level + jitter, level - jitter};
        }
        double[][] c = StructureSegmenter.rhythmContrast(prof, new int[] {0, 4, 8, 12, 16});
        assertTrue(c[0][1] < StructureSegmenter.RHYTHM_DIFFER, "same part, contrast " + c[0][1]);
        assertTrue(c[2][3] < StructureSegmenter.RHYTHM_DIFFER, "same part, contrast " + c[2][3]);
        assertTrue(c[1][2] > 10 * StructureSegmenter.RHYTHM_DIFFER, "drums enter, contrast " + c[1][2]);
        // a silent unit counts for nothing
        prof[15] = null;
        double[][] d = StructureSegmenter.rhythmContrast(prof, new int[] {0, 8, 16});
        assertTrue(d[0][1] > 10 * StructureSegmenter.RHYTHM_DIFFER, "contrast " + d[0][1]);
    }
}
