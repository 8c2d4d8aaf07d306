package com.vibecraft.pipeline.analysis.detector;

import java.util.List;

/**
 * Per-unit (beat) evidence that a section starts there, for {@link BoundaryModel}. All values are
 * relative to the song (novelty max 1, onsets over their song mean, energy in dB differences), so
 * that one model serves loud and quiet, fast and slow songs.
 */
final class BoundaryFeatures {

    /** Feature names, in column order; a model file names its columns and must match. */
    static final List<String> NAMES = List.of(
            "bias",
            "nov", "novPrev", "novPeak", "novPeakPrev", "novAboveMean",
            "fine", "finePrev", "finePeak", "finePeakPrev",
            "stripeStart", "stripeStartNear", "stripeEnd", "stripeEndNear",
            "chromaBeat", "chromaBar",
            "onset", "bass", "bassPrev",
            "energyRise4", "energyChange4", "energyChange8", "quietBefore",
            "bar", "barNov", "barStripe", "halfBar",
            "novBarEarlier", "novPeakBarEarlier", "phrase16", "phrase32", "phrase64", "stripe16", "stripe32",
            "classic", "classicNear", "classicBar",
            "coarse", "coarsePeak", "repChange8", "repChange16",
            "coarser", "coarserPeak", "repChange32", "repRise16",
            "contrast", "contrastPeak");

    private BoundaryFeatures() {
    }

    /**
     * @param minSectionSec the minimum section length, for the classic novelty peak picking whose
     *                      choices are features too
     */
    static double[][] compute(StructureSegmenter.Units x, double minSectionSec) {
        int n = x.n;
        // the boundaries of novelty peak picking without the model: the model learns how far to trust them
        double[] classic = new double[n];
        for (int b : StructureSegmenter.classicBoundaries(x, minSectionSec)) {
            classic[b] = 1;
        }
        double[][] out = new double[n][NAMES.size()];
        double mo = mean(x.onset) + 1e-9;
        double ml = mean(x.low) + 1e-9;
        double me = mean(x.energyDb);
        int w = Math.max(2, (int) Math.round(StructureSegmenter.THR_WIN_SEC / x.unitLen));
        double[] cum = new double[n + 1];
        for (int i = 0; i < n; i++) {
            cum[i + 1] = cum[i] + x.nov[i];
        }
        // novelty at its local maxima (±4 units), else 0: "a section starts here" evidence
        double[] peakNov = new double[n];
        for (int u = 0; u < n; u++) {
            peakNov[u] = peak(x.nov, u, 4) >= 0 ? x.nov[u] : 0;
        }
        for (int u = 0; u < n; u++) {
            double[] r = out[u];
            int c = 0;
            r[c++] = 1.0;
            r[c++] = x.nov[u];
            r[c++] = at(x.nov, u - 1);
            r[c++] = peak(x.nov, u, 4);
            r[c++] = peak(x.nov, u - 1, 4);
            int a = Math.max(0, u - w);
            int b = Math.min(n, u + w + 1);
            r[c++] = x.nov[u] - (cum[b] - cum[a]) / (b - a);
            r[c++] = x.fine[u];
            r[c++] = at(x.fine, u - 1);
            r[c++] = peak(x.fine, u, 2);
            r[c++] = peak(x.fine, u - 1, 2);
            r[c++] = x.stripeStart[u];
            r[c++] = Math.max(at(x.stripeStart, u - 1), at(x.stripeStart, u + 1));
            r[c++] = x.stripeEnd[u];
            r[c++] = Math.max(at(x.stripeEnd, u - 1), at(x.stripeEnd, u + 1));
            r[c++] = u > 0 ? 1.0 - dot(x.chroma[u - 1], x.chroma[u]) : 0.0;
            r[c++] = 1.0 - cosMean(x.chroma, u - 4, u, u, u + 4);
            r[c++] = x.onset[u] / mo;
            r[c++] = x.low[u] / ml;
            r[c++] = at(x.low, u - 1) / ml;
            double e4 = meanRange(x.energyDb, u, u + 4, me) - meanRange(x.energyDb, u - 4, u, me);
            double e8 = meanRange(x.energyDb, u, u + 8, me) - meanRange(x.energyDb, u - 8, u, me);
            r[c++] = Math.max(0, e4) / 10.0;
            r[c++] = Math.abs(e4) / 10.0;
            r[c++] = Math.abs(e8) / 10.0;
            r[c++] = Math.max(0, me - meanRange(x.energyDb, u - 2, u, me)) / 10.0;
            boolean bar = Math.floorMod(u - x.phase[u], 4) == 0;
            boolean half = Math.floorMod(u - x.phase[u], 4) == 2;
            r[c++] = bar ? 1 : 0;
            r[c++] = bar ? x.nov[u] : 0;
            r[c++] = bar ? x.stripeStart[u] : 0;
            r[c++] = half ? 1 : 0;
            r[c++] = at(x.nov, u - 4);
            r[c++] = peak(x.nov, u - 4, 4);
            r[c++] = Math.max(away(peakNov, u, -16), away(peakNov, u, 16));
            r[c++] = Math.max(away(peakNov, u, -32), away(peakNov, u, 32));
            r[c++] = Math.max(away(peakNov, u, -64), away(peakNov, u, 64));
            r[c++] = Math.max(away(x.stripeStart, u, -16), away(x.stripeStart, u, 16));
            r[c++] = Math.max(away(x.stripeStart, u, -32), away(x.stripeStart, u, 32));
            r[c++] = classic[u];
            r[c++] = Math.max(Math.max(at(classic, u - 1), at(classic, u + 1)), Math.max(at(classic, u - 2), at(classic, u + 2)));
            r[c++] = Math.max(at(classic, u - 4), at(classic, u + 4));
            r[c++] = x.coarse[u];
            r[c++] = peak(x.coarse, u, 8);
            r[c++] = Math.abs(meanRange(x.repCount, u, u + 8, 0) - meanRange(x.repCount, u - 8, u, 0));
            double rep16 = meanRange(x.repCount, u, u + 16, 0) - meanRange(x.repCount, u - 16, u, 0);
            r[c++] = Math.abs(rep16);
            r[c++] = x.coarser[u];
            r[c++] = peak(x.coarser, u, 16);
            r[c++] = Math.abs(meanRange(x.repCount, u, u + 32, 0) - meanRange(x.repCount, u - 32, u, 0));
            r[c++] = rep16;
            // a change of sound (timbre, loudness, rhythm) at this beat, and whether it is the strongest nearby
            double cu = Math.log1p(x.contrast[u]);
            r[c++] = cu;
            double other = 0;
            for (int v = Math.max(0, u - 4); v <= Math.min(n - 1, u + 4); v++) {
                if (Math.abs(v - u) > 1) {
                    other = Math.max(other, x.contrast[v]);
                }
            }
            r[c++] = Math.max(0, cu - Math.log1p(other));
        }
        return out;
    }

    /** Largest value within one unit of u + d: evidence one phrase (16 or 32 beats) away. */
    private static double away(double[] x, int u, int d) {
        double m = 0;
        for (int e = -1; e <= 1; e++) {
            m = Math.max(m, at(x, u + d + e));
        }
        return m;
    }

    private static double at(double[] x, int i) {
        return i >= 0 && i < x.length ? x[i] : 0.0;
    }

    /** x[u] minus the largest other value within ±r (positive only at a strict local maximum). */
    private static double peak(double[] x, int u, int r) {
        if (u < 0 || u >= x.length) {
            return -1;
        }
        double m = Double.NEGATIVE_INFINITY;
        for (int v = Math.max(0, u - r); v <= Math.min(x.length - 1, u + r); v++) {
            if (v != u) {
                m = Math.max(m, x[v]);
            }
        }
        return m == Double.NEGATIVE_INFINITY ? 0 : x[u] - m;
    }

    private static double meanRange(double[] x, int a, int b, double fallback) {
        double s = 0;
        int c = 0;
        for (int i = Math.max(0, a); i < Math.min(x.length, b); i++) {
            s += x[i];
            c++;
        }
        return c == 0 ? fallback : s / c;
    }

    /** Cosine between the mean chroma of units [a0, a1) and [b0, b1). */
    private static double cosMean(float[][] ch, int a0, int a1, int b0, int b1) {
        double[] p = new double[12];
        double[] q = new double[12];
        for (int i = Math.max(0, a0); i < Math.min(ch.length, a1); i++) {
            for (int k = 0; k < 12; k++) {
                p[k] += ch[i][k];
            }
        }
        for (int i = Math.max(0, b0); i < Math.min(ch.length, b1); i++) {
            for (int k = 0; k < 12; k++) {
                q[k] += ch[i][k];
            }
        }
        double d = 0;
        double np = 0;
        double nq = 0;
        for (int k = 0; k < 12; k++) {
            d += p[k] * q[k];
            np += p[k] * p[k];
            nq += q[k] * q[k];
        }
        return np > 0 && nq > 0 ? d / Math.sqrt(np * nq) : 1.0;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double mean(double[] x) {
        double m = 0;
        for (double v : x) {
            m += v;
        }
        return m / Math.max(1, x.length);
    }
}
