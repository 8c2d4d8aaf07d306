package com.vibecraft.pipeline.analysis.detector;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-beat inputs of the {@link SequenceModel}: the {@link BoundaryFeatures} (without the constant),
 * what the beat sounds like (chroma, timbre, its onset and bass-onset strength, loudness against the song), how like it the beats one
 * and two phrases away are (self-similarity lag features), how often it recurs, and its place in
 * the bar. The network sees them over 63 beats either side, so it can learn what a listener
 * hears as a section change from the context instead of from hand-made contrasts alone.
 */
final class SequenceFeatures {

    /** Lags (beats) of the self-similarity lag features, before and after. */
    private static final int[] LAGS = {4, 8, 16, 32};

    static final List<String> NAMES = names();

    private SequenceFeatures() {
    }

    private static List<String> names() {
        List<String> n = new ArrayList<>(BoundaryFeatures.NAMES.subList(1, BoundaryFeatures.NAMES.size()));
        for (int c = 0; c < 12; c++) {
            n.add("chroma" + c);
        }
        for (int c = 0; c < 12; c++) {
            n.add("timbre" + c);
        }
        for (int k = 0; k < StructureSegmenter.RHYTHM_DIMS; k++) {
            n.add("rhythm" + k);
        }
        n.add("energy");
        n.add("repCount");
        for (int lag : LAGS) {
            n.add("simBack" + lag);
            n.add("simAhead" + lag);
        }
        for (int b = 0; b < 4; b++) {
            n.add("beatInBar" + b);
        }
        return List.copyOf(n);
    }

    /**
     * @param boundary the unit's {@link BoundaryFeatures} rows (column 0, the constant, is dropped)
     */
    static float[][] compute(StructureSegmenter.Units x, double[][] boundary) {
        int n = x.n;
        int d = NAMES.size();
        float[][] out = new float[n][d];
        double me = 0;
        for (double e : x.energyDb) {
            me += e;
        }
        me /= Math.max(1, n);
        double mr = 0;
        for (double r : x.repCount) {
            mr += r;
        }
        mr = mr / Math.max(1, n) + 1e-9;
        for (int u = 0; u < n; u++) {
            float[] r = out[u];
            int c = 0;
            for (int k = 1; k < boundary[u].length; k++) {
                r[c++] = (float) boundary[u][k];
            }
            for (int k = 0; k < 12; k++) {
                r[c++] = x.chroma[u][k];
            }
            for (int k = 0; k < 12; k++) {
                r[c++] = x.timbre[u][k];
            }
            for (int k = 0; k < StructureSegmenter.RHYTHM_DIMS; k++) {
                r[c++] = x.rhythm[u] == null ? 0f : (float) x.rhythm[u][k];
            }
            r[c++] = (float) ((x.energyDb[u] - me) / 10.0);
            r[c++] = (float) (x.repCount[u] / mr);
            for (int lag : LAGS) {
                r[c++] = u - lag >= 0 ? (float) x.s[u][u - lag] : 0f;
                r[c++] = u + lag < n ? (float) x.s[u][u + lag] : 0f;
            }
            r[c + Math.floorMod(u - x.phase[u], 4)] = 1f;
        }
        return out;
    }
}
