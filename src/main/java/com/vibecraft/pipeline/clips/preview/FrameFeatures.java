package com.vibecraft.pipeline.clips.preview;

/**
 * What one video frame shows of its window of audio: overall level, spectrum band levels and a
 * min/max waveform envelope (one pair per image column). Levels are in [0, 1], samples in [-1, 1].
 */
record FrameFeatures(double rms, double level, double[] bands, float[] waveMin, float[] waveMax) {

    /** Bands of the spectrum display. */
    static final int BANDS = 20;

    private static final int FFT_SIZE = 2048;
    private static final int MAX_SEGMENTS = 8;
    private static final int MAX_PROBES_PER_COLUMN = 64;
    private static final double LEVEL_FLOOR_DB = -50;
    private static final double BAND_FLOOR_DB = -60;
    private static final double LOWEST_HZ = 60;
    private static final double HIGHEST_HZ = 12_000;

    private static final float[] HANN = new float[FFT_SIZE];
    private static final double[] COS = new double[FFT_SIZE / 2];
    private static final double[] SIN = new double[FFT_SIZE / 2];

    static {
        for (int i = 0; i < FFT_SIZE; i++) {
            HANN[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / FFT_SIZE));
        }
        for (int i = 0; i < FFT_SIZE / 2; i++) {
            COS[i] = Math.cos(-2 * Math.PI * i / FFT_SIZE);
            SIN[i] = Math.sin(-2 * Math.PI * i / FFT_SIZE);
        }
    }

    /**
     * Measures samples [from, to) of {@code samples}; indices outside the array read as silence,
     * so a window past the end of the song (or before its start) simply comes out quieter.
     */
    static FrameFeatures measure(float[] samples, float sampleRate, long from, long to, int columns) {
        long length = Math.max(0, to - from);
        double rms = rms(samples, from, length);
        double level = rms <= 0 ? 0 : clamp01(1 - 20 * Math.log10(rms) / LEVEL_FLOOR_DB);
        double[] bands = bands(samples, sampleRate, from, length);
        float[] min = new float[columns];
        float[] max = new float[columns];
        envelope(samples, from, length, min, max);
        return new FrameFeatures(rms, level, bands, min, max);
    }

    private static double rms(float[] x, long from, long length) {
        if (length == 0) {
            return 0;
        }
        int lo = (int) Math.max(0, Math.min(x.length, from));
        int hi = (int) Math.max(0, Math.min(x.length, from + length));
        double sum = 0;
        for (int i = lo; i < hi; i++) {
            sum += (double) x[i] * x[i];
        }
        return Math.sqrt(sum / length);
    }

    /** Welch-style average of up to {@link #MAX_SEGMENTS} Hann-windowed FFTs spread over the window. */
    private static double[] bands(float[] x, float sampleRate, long from, long length) {
        double[] bands = new double[BANDS];
        if (length == 0) {
            return bands;
        }
        int segments = (int) Math.max(1, Math.min(MAX_SEGMENTS, length / FFT_SIZE));
        long spare = Math.max(0, length - FFT_SIZE);
        double[] power = new double[FFT_SIZE / 2];
        double[] re = new double[FFT_SIZE];
        double[] im = new double[FFT_SIZE];
        for (int s = 0; s < segments; s++) {
            long start = from + (segments == 1 ? 0 : spare * s / (segments - 1));
            long end = from + length; // never read past the window
            for (int i = 0; i < FFT_SIZE; i++) {
                long at = start + i;
                float v = at >= 0 && at < x.length && at < end ? x[(int) at] : 0f;
                re[i] = v * HANN[i];
                im[i] = 0;
            }
            fft(re, im);
            for (int k = 0; k < FFT_SIZE / 2; k++) {
                power[k] += re[k] * re[k] + im[k] * im[k];
            }
        }
        // |X| * 4 / N is the amplitude of a sine in that bin (Hann gain 1/2, one-sided spectrum)
        double scale = 16.0 / ((double) FFT_SIZE * FFT_SIZE * segments);
        double nyquist = sampleRate / 2.0;
        double top = Math.min(HIGHEST_HZ, nyquist * 0.95);
        double bottom = Math.min(LOWEST_HZ, top / 4);
        double binHz = sampleRate / (double) FFT_SIZE;
        int previousHi = 1;
        for (int b = 0; b < BANDS; b++) {
            double fHi = bottom * Math.pow(top / bottom, (b + 1) / (double) BANDS);
            int lo = previousHi;
            int hi = Math.max(lo + 1, Math.min(FFT_SIZE / 2, (int) Math.round(fHi / binHz)));
            double sum = 0;
            for (int k = lo; k < hi && k < FFT_SIZE / 2; k++) {
                sum += power[k];
            }
            previousHi = Math.min(FFT_SIZE / 2 - 1, hi);
            double amplitude = Math.sqrt(sum * scale);
            bands[b] = amplitude <= 0 ? 0 : clamp01(1 - 20 * Math.log10(amplitude) / BAND_FLOOR_DB);
        }
        return bands;
    }

    private static void envelope(float[] x, long from, long length, float[] min, float[] max) {
        int columns = min.length;
        for (int c = 0; c < columns; c++) {
            long a = from + length * c / columns;
            long b = Math.max(a + 1, from + length * (c + 1) / columns);
            if (length == 0) {
                continue;
            }
            long step = Math.max(1, (b - a) / MAX_PROBES_PER_COLUMN);
            float lo = 0;
            float hi = 0;
            for (long i = a; i < b; i += step) {
                float v = i >= 0 && i < x.length ? x[(int) i] : 0f;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            min[c] = Math.max(-1f, lo);
            max[c] = Math.min(1f, hi);
        }
    }

    /** In-place iterative radix-2 FFT of length {@link #FFT_SIZE}. */
    private static void fft(double[] re, double[] im) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            int half = len >> 1;
            int stride = n / len;
            for (int i = 0; i < n; i += len) {
                for (int k = 0; k < half; k++) {
                    double wr = COS[k * stride];
                    double wi = SIN[k * stride];
                    int p = i + k;
                    int q = p + half;
                    double xr = re[q] * wr - im[q] * wi;
                    double xi = re[q] * wi + im[q] * wr;
                    re[q] = re[p] - xr;
                    im[q] = im[p] - xi;
                    re[p] += xr;
                    im[p] += xi;
                }
            }
        }
    }

    private static double clamp01(double v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }
}
