package com.vibecraft.pipeline.analysis.detector;

import java.util.ArrayList;
import java.util.List;

/**
 * Clear changes of sound: moments where the timbre, the loudness, the spectrum's balance or the
 * rhythm before and after differ far more than they vary within either side, found at frame
 * resolution (about 23 ms) whatever the beat and bar grid.
 *
 * <p>Per frame: MFCC 1–12 (timbre), MFCC 0 (loudness), the log energy of 8 broad bands, and the
 * onset and bass-onset strength, each z-scored over the song (the analysis also runs at one
 * reference level, {@link SpectralFeatures#REFERENCE_RMS_DB}, so the recording's level cancels out).
 * For a time t and a window W, the contrast of a group of features is the mean over its dimensions
 * of (mean after − mean before)² / (variance between successive half-second blocks within the
 * sides + floor): a two-sample statistic, large only when the whole window after t sounds unlike
 * the whole window before it. A chord loop or a drum pattern inside a part varies from block to
 * block as much as across t, so it stays low; the means of raw frames keep the peak on the first
 * frame of the new sound. The contrast of t is the largest over the groups (a part may change only
 * its loudness or only its sound), taken as the smaller over two window lengths, so a change must
 * hold on both sides for several seconds. Whole segments ({@link #segmentContrast}) are compared
 * on their sounding frames only (see {@link #SILENCE_BELOW_DB}).
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
    /** Within a side, the sound's variation is measured between successive blocks of this length. */
    static final double BLOCK_SEC = 0.5;
    /** Variance floor (z-units²): steady generated tones have almost no variance. */
    static final double VAR_FLOOR = 0.05;

    /**
     * A frame whose energy is this far (dB) below the song's level ({@link SpectralFeatures#REFERENCE_RMS_DB})
     * is silence. Whole segments are compared on their sounding frames only: a song's silent tail
     * otherwise reads, in its last segment, as a block far below everything else, which swamps the
     * segment's variance (a loud last chorus then no longer differs from the soft verses).
     */
    static final double SILENCE_BELOW_DB = 40.0;

    /** Column-wise prefix sums of {@link #frameFeatures}, one row per dimension; null when too short. */
    private final double[][] sums;
    /** The same over the sounding frames only (silent frames count 0), and the prefix count of sounding frames. */
    private final double[][] soundSums;
    private final int[] sounding;
    private final int nFrames;
    private final double frameRate;
    private final int block;

    private ChangePoints(SpectralFeatures f) {
        this.nFrames = f.nFrames;
        this.frameRate = f.frameRate;
        this.block = Math.max(1, (int) Math.round(BLOCK_SEC * f.frameRate));
        double[][] x = f.nFrames < 8 ? null : frameFeatures(f);
        this.sums = x == null ? null : prefix(x);
        this.sounding = new int[f.nFrames + 1];
        for (int t = 0; t < f.nFrames; t++) {
            boolean on = f.energyDb[t] > SpectralFeatures.REFERENCE_RMS_DB - SILENCE_BELOW_DB;
            sounding[t + 1] = sounding[t] + (on ? 1 : 0);
            if (!on && x != null) {
                java.util.Arrays.fill(x[t], 0.0);
            }
        }
        this.soundSums = x == null ? null : prefix(x);
    }

    /** The song's sound profile, from which contrasts at any time or between any segments are read. */
    public static ChangePoints of(SpectralFeatures f) {
        return new ChangePoints(f);
    }

    /** Per-frame contrast of a song (see the class comment). */
    public static double[] contrast(SpectralFeatures f) {
        return of(f).contrast();
    }

    /** Per-frame contrast (see the class comment); 0 where a window does not fit. */
    public double[] contrast() {
        int n = nFrames;
        double[] out = new double[n];
        if (sums == null) {
            return out;
        }
        int ws = Math.max(2, (int) Math.round(SHORT_SEC * frameRate));
        int wl = Math.max(ws + 1, (int) Math.round(LONG_SEC * frameRate));
        for (int t = ws; t + ws <= n; t++) {
            double a = between(sums, null, t - ws, t, t, t + ws);
            int w2 = t >= wl && t + wl <= n ? wl : Math.min(t, n - t);
            out[t] = Math.min(a, between(sums, null, t - w2, t, t, t + w2));
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

    /**
     * Contrast between whole segments (the same statistic, each segment one side): entry [a][b]
     * for the segments between successive {@code edgesSec} (first 0, last the duration).
     */
    public double[][] segmentContrast(double[] edgesSec) {
        int k = edgesSec.length - 1;
        double[][] out = new double[k][k];
        if (sums == null || k < 2) {
            return out;
        }
        int[] fr = new int[k + 1];
        for (int i = 0; i <= k; i++) {
            fr[i] = Math.max(0, Math.min(nFrames, (int) Math.round(edgesSec[i] * frameRate)));
        }
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++) {
                if (count(fr[a], fr[a + 1]) >= block && count(fr[b], fr[b + 1]) >= block) {
                    out[a][b] = between(soundSums, sounding, fr[a], fr[a + 1], fr[b], fr[b + 1]);
                    out[b][a] = out[a][b];
                }
            }
        }
        return out;
    }

    /**
     * The two-sample contrast of frames [a0, a1) against [b0, b1): per group, the mean over its
     * dimensions of (difference of means)² / (mean block variance + floor); the largest group.
     * With {@code on} (prefix count of the frames that {@code s} sums), means are over those
     * frames and a block counts when at least half of it is among them.
     */
    private double between(double[][] s, int[] on, int a0, int a1, int b0, int b1) {
        double na = on == null ? a1 - a0 : on[a1] - on[a0];
        double nb = on == null ? b1 - b0 : on[b1] - on[b0];
        double best = 0;
        for (int[] g : GROUPS) {
            double acc = 0;
            for (int d : g) {
                double[] c = s[d];
                double ma = (c[a1] - c[a0]) / na;
                double mb = (c[b1] - c[b0]) / nb;
                double va = blockVariance(c, on, a0, a1, block, ma);
                double vb = blockVariance(c, on, b0, b1, block, mb);
                double diff = mb - ma;
                acc += diff * diff / (0.5 * (vb + va) + VAR_FLOOR);
            }
            best = Math.max(best, acc / g.length);
        }
        return best;
    }

    /**
     * Variance of the means of successive blocks in [a, b) around the side's mean: how much the
     * sound varies from one half second to the next, not within a struck note.
     */
    private static double blockVariance(double[] c, int[] on, int a, int b, int block, double mean) {
        double v = 0;
        int k = 0;
        for (int s = a; s + block <= b; s += block) {
            int cnt = on == null ? block : on[s + block] - on[s];
            if (2 * cnt < block) {
                continue;
            }
            double m = (c[s + block] - c[s]) / cnt;
            v += (m - mean) * (m - mean);
            k++;
        }
        return k > 0 ? v / k : 0;
    }

    /** Sounding frames in [a, b). */
    private int count(int a, int b) {
        return sounding[b] - sounding[a];
    }

    /** Column-wise prefix sums, one row per dimension. */
    private static double[][] prefix(double[][] x) {
        int n = x.length;
        int d = x[0].length;
        double[][] c = new double[d][n + 1];
        for (int k = 0; k < d; k++) {
            double s = 0;
            for (int t = 0; t < n; t++) {
                s += x[t][k];
                c[k][t + 1] = s;
            }
        }
        return c;
    }

    /** Feature groups over the columns of {@link #frameFeatures}: timbre, loudness, band energies, rhythm. */
    static final int[][] GROUPS = {range(0, 12), {12}, range(13, 13 + SpectralFeatures.N_BANDS),
        {13 + SpectralFeatures.N_BANDS, 14 + SpectralFeatures.N_BANDS}};

    /**
     * Frames × (15 + bands): MFCC 1–12, MFCC 0 (loudness), the broad band energies (dB), onset and
     * bass onset strength; z-scored per column.
     */
    public static double[][] frameFeatures(SpectralFeatures f) {
        int n = f.nFrames;
        int nb = SpectralFeatures.N_BANDS;
        int dims = 15 + nb;
        double[][] x = new double[n][dims];
        for (int t = 0; t < n; t++) {
            for (int c = 1; c < SpectralFeatures.N_MFCC; c++) {
                x[t][c - 1] = f.mfcc[t][c];
            }
            x[t][12] = f.mfcc[t][0];
            for (int q = 0; q < nb; q++) {
                x[t][13 + q] = f.bandDb[t][q];
            }
            x[t][13 + nb] = f.onset[t];
            x[t][14 + nb] = f.lowOnset[t];
        }
        for (int k = 0; k < dims; k++) {
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
