package com.vibecraft.pipeline.analysis.detector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

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

    /**
     * Tracked beats (frame positions, increasing), the tempo in BPM (0 when nothing was found) and how
     * clearly the music has a steady pulse ({@link #pulseClarity}; 0 when nothing was found).
     */
    public record Beats(int[] frames, double bpm, double pulseClarity) {
    }

    static final double TIGHTNESS = 100;

    private BeatTracker() {
    }

    public static Beats track(float[] onsetEnv, double frameRate) {
        double[] o = normalise(onsetEnv);
        if (o == null || !(frameRate > 0)) {
            return new Beats(new int[0], 0.0, 0.0);
        }
        double[] x = highPass(o, (int) Math.round(frameRate));
        double period = TempoEstimator.beatPeriod(x, frameRate);
        if (!(period > 0)) {
            return new Beats(new int[0], 0.0, 0.0);
        }
        // octave choice: of two pulses an octave apart, the slower is the beat when every other
        // beat of the faster is clearly stronger (on-beats vs off-beats), weighed against the prior
        int[] beats;
        int[] fast = 60.0 * frameRate / (period / 2) <= TempoEstimator.MAX_BPM
                ? dpBeats(o, frameRate, 60.0 * frameRate / (period / 2)) : null;
        if (fast != null && !slowerIsBeat(o, frameRate, period / 2, fast)) {
            period /= 2;
            beats = fast;
        } else {
            beats = dpBeats(o, frameRate, 60.0 * frameRate / period);
            if (60.0 * frameRate / (2 * period) >= MIN_SLOW_BPM && slowerIsBeat(o, frameRate, period, beats)) {
                period *= 2;
                beats = dpBeats(o, frameRate, 60.0 * frameRate / period);
            }
        }
        double bpm = 60.0 * frameRate / period;
        double tracked = trackedPeriod(beats);
        if (tracked > 0 && Math.abs(tracked - period) / period <= 0.04) {
            bpm = 60.0 * frameRate / tracked;
        }
        return new Beats(beats, bpm, pulseClarity(x, frameRate));
    }

    /** Window of {@link #pulseClarity} and the step between windows, seconds. */
    static final double PULSE_WINDOW_SEC = 8.0;
    static final double PULSE_HOP_SEC = 4.0;

    /**
     * How clearly the music has a steady pulse, whatever its tempo and even where the tempo changes:
     * in windows of {@value #PULSE_WINDOW_SEC} s, the autocorrelation ({@link TempoEstimator#autocorrelation})
     * of the onset envelope with its ~1 s moving average removed ({@code x}) at its best lag of
     * 40–240 BPM; the median over the windows. Near 1 for a steady beat, low for music without one (ambient pads, rubato).
     * A song shorter than one window is one window.
     */
    static double pulseClarity(double[] x, double frameRate) {
        int win = Math.min(x.length, (int) Math.round(PULSE_WINDOW_SEC * frameRate));
        int hop = Math.max(1, (int) Math.round(PULSE_HOP_SEC * frameRate));
        int minLag = Math.max(2, (int) Math.floor(frameRate * 60.0 / TempoEstimator.MAX_BPM));
        int maxLag = Math.min(win / 2, (int) Math.ceil(frameRate * 60.0 / TempoEstimator.MIN_BPM));
        if (maxLag < minLag) {
            return 0.0;
        }
        List<Double> windows = new ArrayList<>();
        for (int a = 0; a + win <= x.length; a += hop) {
            double[] r = TempoEstimator.autocorrelation(x, a, a + win, maxLag);
            double best = 0;
            for (int lag = minLag; lag <= maxLag; lag++) {
                best = Math.max(best, r[lag]);
            }
            windows.add(best);
        }
        Collections.sort(windows);
        return windows.isEmpty() ? 0.0 : windows.get(windows.size() / 2);
    }

    /**
     * Whether the pulse at twice {@code period} is the beat rather than {@code period} itself, from
     * the beats tracked at {@code period}: the log ratio of the mean onset strength on the stronger
     * and the weaker alternate beats, against the prior's preference.
     */
    static boolean slowerIsBeat(double[] o, double frameRate, double period, int[] beats) {
        if (beats.length < 8) {
            return false;
        }
        double[] local = smoothed(o, period);
        double even = 0;
        double odd = 0;
        for (int i = 0; i < beats.length; i++) {
            if ((i & 1) == 0) {
                even += Math.max(0, local[beats[i]]);
            } else {
                odd += Math.max(0, local[beats[i]]);
            }
        }
        even /= (beats.length + 1) / 2;
        odd /= beats.length / 2;
        double q = Math.log(Math.max(even, odd) + 1e-9) - Math.log(Math.min(even, odd) + 1e-9);
        double lp = TempoEstimator.logPrior(60.0 * frameRate / (2 * period))
                - TempoEstimator.logPrior(60.0 * frameRate / period);
        return ALT_WEIGHT * q + lp > ALT_BIAS;
    }

    static final double MIN_SLOW_BPM = 48.0;
    static final double ALT_WEIGHT = 4;
    static final double ALT_BIAS = 1;

    /** Onset envelope scaled to unit standard deviation; null when it is (near) constant. */
    static double[] normalise(float[] onsetEnv) {
        int n = onsetEnv.length;
        if (n < 8) {
            return null;
        }
        double mean = 0;
        for (float v : onsetEnv) {
            mean += v;
        }
        mean /= n;
        double var = 0;
        for (float v : onsetEnv) {
            double d = v - mean;
            var += d * d;
        }
        double std = Math.sqrt(var / n);
        if (!(std > 1e-6)) {
            return null;
        }
        double[] o = new double[n];
        for (int i = 0; i < n; i++) {
            o[i] = onsetEnv[i] / std;
        }
        return o;
    }

    /**
     * Beat period in frames from the tracked beats: the median of the 8-beat spans divided by 8
     * (sub-frame resolution), falling back to shorter spans for short tracks; 0 if under 3 beats.
     */
    static double trackedPeriod(int[] beats) {
        if (beats.length < 3) {
            return 0;
        }
        int k = Math.min(8, beats.length - 1);
        double[] d = new double[beats.length - k];
        for (int i = 0; i + k < beats.length; i++) {
            d[i] = (beats[i + k] - beats[i]) / (double) k;
        }
        Arrays.sort(d);
        return d.length % 2 == 1 ? d[d.length / 2] : 0.5 * (d[d.length / 2 - 1] + d[d.length / 2]);
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

    /** Onset envelope smoothed with a Gaussian of std period/32 (the DP's local score). */
    static double[] smoothed(double[] o, double period) {
        int n = o.length;
        int half = Math.max(1, (int) Math.ceil(3 * period / 32.0));
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
        return local;
    }

    static int[] dpBeats(double[] o, double frameRate, double bpm) {
        int n = o.length;
        double period = 60.0 * frameRate / bpm;
        double[] local = smoothed(o, period);
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
