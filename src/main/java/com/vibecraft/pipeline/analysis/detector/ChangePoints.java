package com.vibecraft.pipeline.analysis.detector;

import java.util.ArrayList;
import java.util.List;

/**
 * Clear changes of sound: moments where the timbre, the loudness or the rhythmic density before
 * and after differ far more than they vary within either side, found at frame resolution (about
 * 23 ms) whatever the beat and bar grid.
 *
 * <p>Per frame: MFCC 1–12 (timbre), MFCC 0 (loudness), the onset strength and the bass onset
 * strength averaged over the past half second (how busy the rhythm is), each z-scored over the song so
 * that the level of the recording and the codec's bandwidth cancel out. For a time t and a window
 * W, the contrast of a group of features is the mean over its dimensions of
 * (mean after − mean before)² / (mean within-side variance + floor): a two-sample statistic, large
 * only when the whole window after t sounds unlike the whole window before it. A chord loop or a
 * drum pattern inside a part varies within each side as much as across, so it stays low. The
 * contrast of t is the largest of the three groups (a part may change only its drums or only its
 * loudness), taken as the smaller over two window lengths, so a change must hold on both sides for
 * a few seconds.
 *
 * <p>Harmony is deliberately absent: inside a part chords change every bar or two, so a change of
 * chords alone is a matter of repetition structure ({@link StructureSegmenter}), not of contrast.
 */
public final class ChangePoints {

    /** One change: time in seconds and its contrast (see the class comment). */
    public record Change(double sec, double contrast) {
    }

    /** Window lengths (each side), seconds. */
    static final double SHORT_SEC = 3.0;
    static final double LONG_SEC = 6.0;
    /** Rhythm density: onset strength averaged over this many seconds. */
    static final double RHYTHM_SEC = Double.parseDouble(System.getProperty("vibecraft.exp.rhythm", "0.25"));
    /** Variance floor (z-units²): steady generated tones have almost no variance. */
    static final double VAR_FLOOR = 0.05;

    private ChangePoints() {
    }

    /** Per-frame contrast (see the class comment); 0 where a window does not fit. */
    public static double[] contrast(SpectralFeatures f) {
        int n = f.nFrames;
        double[] out = new double[n];
        if (n < 8) {
            return out;
        }
        double[][] x = frameFeatures(f);
        int[][] groups = {range(0, 12), {12}, {13, 14}};
        int ws = Math.max(2, (int) Math.round(SHORT_SEC * f.frameRate));
        int wl = Math.max(ws + 1, (int) Math.round(LONG_SEC * f.frameRate));
        double[][] c1 = prefix(x, false);
        double[][] c2 = prefix(x, true);
        for (int t = ws; t + ws <= n; t++) {
            double a = groupContrast(c1, c2, groups, t, ws, n);
            double b = t >= wl && t + wl <= n ? groupContrast(c1, c2, groups, t, wl, n)
                    : groupContrast(c1, c2, groups, t, Math.min(t, n - t), n);
            out[t] = Math.min(a, b);
        }
        return out;
    }

    /**
     * Local maxima of the contrast (within ±{@link #SHORT_SEC}) at or above {@code threshold},
     * in time order.
     */
    public static List<Change> peaks(double[] c, double frameRate, double threshold) {
        int w = Math.max(1, (int) Math.round(SHORT_SEC * frameRate));
        List<Change> out = new ArrayList<>();
        for (int t = 1; t < c.length; t++) {
            if (!(c[t] >= threshold)) {
                continue;
            }
            boolean max = true;
            for (int d = -w; d <= w && max; d++) {
                int u = t + d;
                if (u >= 0 && u < c.length && u != t && (c[u] > c[t] || (c[u] == c[t] && u < t))) {
                    max = false;
                }
            }
            if (max) {
                out.add(new Change(t / frameRate, c[t]));
            }
        }
        return out;
    }

    private static double groupContrast(double[][] c1, double[][] c2, int[][] groups, int t, int w, int n) {
        int a0 = t - w;
        int b1 = t + w;
        double best = 0;
        for (int[] g : groups) {
            double acc = 0;
            for (int d : g) {
                double sb = c1[d][t] - c1[d][a0];
                double sa = c1[d][b1] - c1[d][t];
                double qb = c2[d][t] - c2[d][a0];
                double qa = c2[d][b1] - c2[d][t];
                double mb = sb / w;
                double ma = sa / w;
                double vb = Math.max(0, qb / w - mb * mb);
                double va = Math.max(0, qa / w - ma * ma);
                double diff = ma - mb;
                acc += diff * diff / (0.5 * (va + vb) + VAR_FLOOR);
            }
            best = Math.max(best, acc / g.length);
        }
        return best;
    }

    /** Column-wise prefix sums (of squares when {@code squares}), one row per dimension. */
    private static double[][] prefix(double[][] x, boolean squares) {
        int n = x.length;
        int d = x[0].length;
        double[][] c = new double[d][n + 1];
        for (int k = 0; k < d; k++) {
            double s = 0;
            for (int t = 0; t < n; t++) {
                double v = x[t][k];
                s += squares ? v * v : v;
                c[k][t + 1] = s;
            }
        }
        return c;
    }

    /** Frames × 15: MFCC 1–12, MFCC 0, onset density, bass onset density; z-scored per column. */
    static double[][] frameFeatures(SpectralFeatures f) {
        int n = f.nFrames;
        double[][] x = new double[n][15];
        int h = Math.max(1, (int) Math.round(RHYTHM_SEC * f.frameRate));
        double[] co = new double[n + 1];
        double[] cl = new double[n + 1];
        for (int t = 0; t < n; t++) {
            co[t + 1] = co[t] + f.onset[t];
            cl[t + 1] = cl[t] + f.lowOnset[t];
        }
        for (int t = 0; t < n; t++) {
            for (int c = 1; c < SpectralFeatures.N_MFCC; c++) {
                x[t][c - 1] = f.mfcc[t][c];
            }
            x[t][12] = f.mfcc[t][0];
            // backward-looking, so that the density rises at the first new onset, not before it
            int a = Math.max(0, t - h + 1);
            int b = t + 1;
            x[t][13] = (co[b] - co[a]) / (b - a);
            x[t][14] = (cl[b] - cl[a]) / (b - a);
        }
        for (int k = 0; k < 15; k++) {
            double m = 0;
            for (double[] r : x) {
                m += r[k];
            }
            m /= n;
            double v = 0;
            for (double[] r : x) {
                v += (r[k] - m) * (r[k] - m);
            }
            double sd = Math.sqrt(v / n);
            for (double[] r : x) {
                r[k] = sd > 1e-9 ? (r[k] - m) / sd : 0;
            }
        }
        return x;
    }

    private static int[] range(int a, int b) {
        int[] r = new int[b - a];
        for (int i = a; i < b; i++) {
            r[i - a] = i;
        }
        return r;
    }
}
