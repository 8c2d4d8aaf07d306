package com.vibecraft.pipeline.analysis.detector;

/**
 * Global beat-period estimate from an onset envelope: autocorrelation with harmonic summation
 * and a log-Gaussian tempo prior.
 *
 * <p>The autocorrelation {@code r} of the onset envelope (a ~1 s moving average removed, so that
 * loudness changes do not dominate) is normalised by {@code r(0)}. A candidate beat period
 * {@code L} is scored by its own peak and by the periodicities a metrical beat implies: its
 * multiples (2 beats, a 4/4 bar: {@code r(2L)}, {@code r(4L)}) and its subdivision
 * ({@code r(L/2)}). A dotted (3:2) or 4:3 period lacks most of these (e.g. {@code 2·1.5L = 3L} is not
 * a bar), which is what separates them from the true beat. The score is weighted by a
 * log-Gaussian prior over tempo; the best period is refined by parabolic interpolation of
 * {@code r} around it.
 */
public final class TempoEstimator {

    static final double MIN_BPM = 40.0;
    static final double MAX_BPM = 240.0;
    static final double PRIOR_BPM = 100;
    static final double PRIOR_OCTAVES = 1.0;
    static final double W2 = 0.5;
    static final double W4 = 0.25;
    static final double WH = 0.25;

    private TempoEstimator() {
    }

    /** Log of the (unnormalised) log-Gaussian tempo prior. */
    static double logPrior(double bpm) {
        double z = Math.log(bpm / PRIOR_BPM) / Math.log(2.0) / PRIOR_OCTAVES;
        return -0.5 * z * z;
    }

    /**
     * Beat period in frames (fractional), or 0 when the envelope has no usable periodicity;
     * {@code x} is the onset envelope with its ~1 s moving average removed ({@link BeatTracker#highPass}).
     */
    static double beatPeriod(double[] x, double frameRate) {
        int n = x.length;
        int minLag = Math.max(2, (int) Math.floor(frameRate * 60.0 / MAX_BPM));
        int maxLag = (int) Math.ceil(frameRate * 60.0 / MIN_BPM);
        int acMax = Math.min(n - 2, 4 * maxLag + 2);
        if (acMax <= minLag + 2) {
            return 0.0;
        }
        maxLag = Math.min(maxLag, acMax - 1);
        double[] r = autocorrelation(x, 0, n, acMax);
        if (!(r[0] > 0)) {
            return 0.0;
        }
        double best = Double.NEGATIVE_INFINITY;
        int bestLag = -1;
        for (int lag = minLag; lag <= maxLag; lag++) {
            if (!(r[lag] >= r[lag - 1] && r[lag] >= r[lag + 1])) {
                continue;
            }
            double s = r[lag] + W2 * peakNear(r, 2.0 * lag) + W4 * peakNear(r, 4.0 * lag)
                    + WH * peakNear(r, 0.5 * lag);
            double bpm = 60.0 * frameRate / lag;
            double v = Math.log(Math.max(s, 1e-9)) + logPrior(bpm);
            if (v > best) {
                best = v;
                bestLag = lag;
            }
        }
        if (bestLag < 0) {
            return 0.0;
        }
        double y0 = r[bestLag - 1];
        double y1 = r[bestLag];
        double y2 = r[bestLag + 1];
        double denom = y0 - 2 * y1 + y2;
        double shift = denom < 0 ? 0.5 * (y0 - y2) / denom : 0.0;
        shift = Math.max(-0.5, Math.min(0.5, shift));
        return bestLag + shift;
    }

    /**
     * Autocorrelation of {@code x[from, to)} at lags 0..maxLag, each the mean of its products (so
     * unbiased by the shrinking overlap), divided by the value at lag 0; all 0 when that is 0.
     */
    static double[] autocorrelation(double[] x, int from, int to, int maxLag) {
        int n = to - from;
        double[] r = new double[maxLag + 1];
        for (int lag = 0; lag <= maxLag; lag++) {
            double s = 0;
            for (int i = from, end = to - lag; i < end; i++) {
                s += x[i] * x[i + lag];
            }
            r[lag] = s / (n - lag);
        }
        if (!(r[0] > 0)) {
            return new double[maxLag + 1];
        }
        for (int lag = maxLag; lag >= 0; lag--) {
            r[lag] /= r[0];
        }
        return r;
    }

    /** Largest autocorrelation within ±1 frame of a fractional lag (0 outside the computed range). */
    private static double peakNear(double[] r, double lag) {
        int a = (int) Math.floor(lag) - 1;
        int b = (int) Math.ceil(lag) + 1;
        double m = Double.NEGATIVE_INFINITY;
        for (int i = Math.max(0, a); i <= Math.min(r.length - 1, b); i++) {
            m = Math.max(m, r[i]);
        }
        return m == Double.NEGATIVE_INFINITY ? 0.0 : Math.max(0.0, m);
    }
}
