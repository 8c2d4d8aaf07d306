package com.vibecraft.pipeline.analysis.detector;

import java.util.Arrays;

/**
 * Global tempo estimation and dynamic-programming beat tracking after D. P. W. Ellis,
 * "Beat Tracking by Dynamic Programming", JNMR 36(1), 2007 (the method librosa also uses).
 *
 * <ol>
 *   <li>Tempo: autocorrelation of the (mean-removed) onset envelope over lags of 30–300 BPM,
 *       weighted by a log-Gaussian prior centred on 120 BPM with a one-octave deviation; the best
 *       lag is refined by parabolic interpolation.</li>
 *   <li>Beats: {@code C(t) = O(t) + max_τ (C(τ) − α·log²((t−τ)/P))} over {@code τ ∈ [t−2P, t−P/2]},
 *       backtracked from the last strong local maximum of {@code C}; weak beats at either end
 *       (where the music has not started or has stopped) are trimmed.</li>
 * </ol>
 * Stateless: all methods are static and allocate their own working arrays.
 */
public final class BeatTracker {

    /** Tracked beats (frame positions, increasing) and the tempo in BPM (0 when nothing was found). */
    public record Beats(int[] frames, double bpm) {
    }

    static final double PRIOR_BPM = 120.0;
    static final double PRIOR_OCTAVES = 1.0;
    static final double TIGHTNESS = 100.0;

    private BeatTracker() {
    }

    public static Beats track(float[] onsetEnv, double frameRate) {
        int n = onsetEnv.length;
        if (n < 8) {
            return new Beats(new int[0], 0.0);
        }
        double[] o = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += onsetEnv[i];
        }
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; i++) {
            double d = onsetEnv[i] - mean;
            var += d * d;
        }
        double std = Math.sqrt(var / n);
        if (!(std > 1e-6)) {
            return new Beats(new int[0], 0.0);
        }
        for (int i = 0; i < n; i++) {
            o[i] = onsetEnv[i] / std;
        }
        double bpm = estimateTempo(o, frameRate);
        if (bpm <= 0) {
            return new Beats(new int[0], 0.0);
        }
        int[] beats = dpBeats(o, frameRate, bpm);
        if (beats.length >= 2) {
            double[] ibi = new double[beats.length - 1];
            for (int i = 1; i < beats.length; i++) {
                ibi[i - 1] = beats[i] - beats[i - 1];
            }
            Arrays.sort(ibi);
            double med = ibi.length % 2 == 1 ? ibi[ibi.length / 2]
                    : 0.5 * (ibi[ibi.length / 2 - 1] + ibi[ibi.length / 2]);
            // keep the finer autocorrelation estimate unless the tracked beats disagree clearly
            double trackedBpm = 60.0 * frameRate / med;
            if (Math.abs(trackedBpm - bpm) / bpm > 0.04) {
                bpm = trackedBpm;
            }
        }
        return new Beats(beats, bpm);
    }

    /** Tempo in BPM from the prior-weighted autocorrelation of the onset envelope; 0 if none. */
    static double estimateTempo(double[] o, double frameRate) {
        int n = o.length;
        int minLag = Math.max(1, (int) Math.floor(frameRate * 60.0 / 300.0));
        int maxLag = Math.min(n - 2, (int) Math.ceil(frameRate * 60.0 / 30.0));
        if (maxLag <= minLag + 1) {
            return 0.0;
        }
        // remove a slowly varying mean so loudness changes do not dominate the correlation
        double[] x = highPass(o, (int) Math.round(frameRate)); // ~1 s moving average removed
        double[] ac = new double[maxLag + 2];
        for (int lag = minLag - 1; lag <= maxLag + 1; lag++) {
            if (lag < 0) {
                continue;
            }
            double s = 0;
            for (int i = 0; i + lag < n; i++) {
                s += x[i] * x[i + lag];
            }
            ac[lag] = s / (n - lag);
        }
        double best = 0;
        int bestLag = -1;
        double[] w = new double[maxLag + 2];
        for (int lag = minLag; lag <= maxLag; lag++) {
            double b = 60.0 * frameRate / lag;
            double z = Math.log(b / PRIOR_BPM) / Math.log(2.0) / PRIOR_OCTAVES;
            w[lag] = Math.exp(-0.5 * z * z);
            double v = ac[lag] * w[lag];
            boolean localMax = ac[lag] >= ac[lag - 1] && ac[lag] >= ac[lag + 1];
            if (localMax && v > best) {
                best = v;
                bestLag = lag;
            }
        }
        if (bestLag < 0) {
            return 0.0;
        }
        double y0 = ac[bestLag - 1];
        double y1 = ac[bestLag];
        double y2 = ac[bestLag + 1];
        double denom = y0 - 2 * y1 + y2;
        double shift = denom < 0 ? 0.5 * (y0 - y2) / denom : 0.0;
        shift = Math.max(-0.5, Math.min(0.5, shift));
        return 60.0 * frameRate / (bestLag + shift);
    }

    static double[] highPass(double[] o, int width) {
        int n = o.length;
        double[] out = new double[n];
        double[] cum = new double[n + 1];
        for (int i = 0; i < n; i++) {
            cum[i + 1] = cum[i] + o[i];
        }
        int h = Math.max(1, width / 2);
        for (int i = 0; i < n; i++) {
            int a = Math.max(0, i - h);
            int b = Math.min(n, i + h + 1);
            out[i] = o[i] - (cum[b] - cum[a]) / (b - a);
        }
        return out;
    }

    static int[] dpBeats(double[] o, double frameRate, double bpm) {
        int n = o.length;
        double period = 60.0 * frameRate / bpm;
        // local score: onset envelope smoothed with a Gaussian of std period/32
        int half = (int) Math.round(period);
        double[] kern = new double[2 * half + 1];
        for (int i = -half; i <= half; i++) {
            double z = i * 32.0 / period;
            kern[i + half] = Math.exp(-0.5 * z * z);
        }
        double[] local = new double[n];
        for (int t = 0; t < n; t++) {
            double s = 0;
            for (int i = -half; i <= half; i++) {
                int u = t + i;
                if (u >= 0 && u < n) {
                    s += kern[i + half] * o[u];
                }
            }
            local[t] = s;
        }
        double[] cum = new double[n];
        int[] back = new int[n];
        int lo = (int) Math.round(period / 2.0);
        int hi = (int) Math.round(2.0 * period);
        double[] penalty = new double[hi + 1];
        for (int d = Math.max(1, lo); d <= hi; d++) {
            double l = Math.log(d / period);
            penalty[d] = -TIGHTNESS * l * l;
        }
        boolean firstBeat = true;
        double localMax = 0;
        for (double v : local) {
            localMax = Math.max(localMax, v);
        }
        for (int t = 0; t < n; t++) {
            double best = Double.NEGATIVE_INFINITY;
            int arg = -1;
            for (int d = Math.max(1, lo); d <= hi && t - d >= 0; d++) {
                double v = cum[t - d] + penalty[d];
                if (v > best) {
                    best = v;
                    arg = t - d;
                }
            }
            // a beat can start a chain only before the first strong onset (as in librosa)
            if (arg >= 0 && !(firstBeat && best <= 0)) {
                cum[t] = local[t] + best;
                back[t] = arg;
            } else {
                cum[t] = local[t];
                back[t] = -1;
            }
            if (firstBeat && local[t] >= 0.01 * localMax && localMax > 0) {
                firstBeat = false;
            }
        }
        // last beat: the last local maximum of cum above half the median of the local maxima
        int count = 0;
        double[] maxima = new double[n];
        for (int t = 1; t < n - 1; t++) {
            if (cum[t] > cum[t - 1] && cum[t] >= cum[t + 1]) {
                maxima[count++] = cum[t];
            }
        }
        if (count == 0) {
            return new int[0];
        }
        double[] m = Arrays.copyOf(maxima, count);
        Arrays.sort(m);
        double thr = 0.5 * m[count / 2];
        int last = -1;
        for (int t = n - 2; t >= 1; t--) {
            if (cum[t] > cum[t - 1] && cum[t] >= cum[t + 1] && cum[t] >= thr) {
                last = t;
                break;
            }
        }
        if (last < 0) {
            return new int[0];
        }
        int[] tmp = new int[n];
        int k = 0;
        for (int t = last; t >= 0; t = back[t]) {
            tmp[k++] = t;
            if (back[t] < 0) {
                break;
            }
        }
        int[] beats = new int[k];
        for (int i = 0; i < k; i++) {
            beats[i] = tmp[k - 1 - i];
        }
        return trim(beats, local);
    }

    /** Drops leading and trailing beats whose local score is under half the RMS over all beats. */
    private static int[] trim(int[] beats, double[] local) {
        if (beats.length == 0) {
            return beats;
        }
        double ss = 0;
        for (int b : beats) {
            ss += local[b] * local[b];
        }
        double thr = 0.5 * Math.sqrt(ss / beats.length);
        int a = 0;
        int z = beats.length;
        while (a < z && local[beats[a]] <= thr) {
            a++;
        }
        while (z > a && local[beats[z - 1]] <= thr) {
            z--;
        }
        return Arrays.copyOfRange(beats, a, z);
    }
}
