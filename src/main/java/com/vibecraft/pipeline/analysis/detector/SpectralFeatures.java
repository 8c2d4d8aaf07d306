package com.vibecraft.pipeline.analysis.detector;

import be.tarsos.dsp.util.fft.FFT;
import be.tarsos.dsp.util.fft.HannWindow;

import java.util.function.DoubleConsumer;

/**
 * Frame-level features of a whole song from one short-time Fourier transform pass.
 *
 * <p>Frames are centred: frame {@code t} is centred on sample {@code t * hop} (zero padding at the
 * edges). The window is about 93 ms (2048 samples at 22.05 kHz, 4096 at 44.1 kHz), the hop a quarter
 * of it, so the frame rate is about 43 Hz whatever the sample rate. Per frame this computes
 * <ul>
 *   <li>an onset strength (log-mel spectral flux, half-wave rectified, mean over bands, delayed
 *       by one hop to compensate the window's look-ahead),</li>
 *   <li>a 12-bin chroma vector (linear spectral energy folded onto pitch classes, 55 Hz–5 kHz),</li>
 *   <li>13 MFCCs (DCT-II of 40 log-mel bands, coefficient 0 is loudness),</li>
 *   <li>the frame energy in dB.</li>
 * </ul>
 * Memory is linear in the song length (about 27 floats per frame). Instances are immutable once
 * built; {@link #compute} allocates its own FFT, so concurrent calls are independent.
 */
public final class SpectralFeatures {

    public static final int N_MELS = 40;
    public static final int N_MFCC = 13;
    /** Power floor, in dB relative to a full-scale sine. */
    private static final double FLOOR_DB = -90.0;
    /**
     * The song is analysed as if its RMS level were this (dBFS): the power floor then sits at the
     * same depth below the music whatever the recording's level, so a quiet copy of a song gives the
     * same features as a loud one.
     */
    static final double REFERENCE_RMS_DB = -20.0;

    public final int nFrames;
    public final int hop;
    public final int fftSize;
    public final double sampleRate;
    /** Frames per second. */
    public final double frameRate;
    public final float[] onset;
    public final float[][] chroma;
    public final float[][] mfcc;
    public final float[] energyDb;
    /** Onset strength (positive log-mel flux) of the lowest mel bands only (bass, below about {@value #LOW_HZ} Hz). */
    public final float[] lowOnset;
    /** Log energy (dB) of {@value #N_BANDS} broad bands per frame: groups of neighbouring mel bands, low to high. */
    public final float[][] bandDb;
    public static final int N_BANDS = 8;
    /** The song's RMS level (dBFS) before it was brought to {@link #REFERENCE_RMS_DB}. */
    public final double songLevelDb;
    /** Upper frequency of the bass bands used by {@link #lowOnset}. */
    static final double LOW_HZ = 250.0;

    private SpectralFeatures(int nFrames, int hop, int fftSize, double sampleRate, float[] onset,
                             float[][] chroma, float[][] mfcc, float[] energyDb, float[] lowOnset, float[][] bandDb,
                             double songLevelDb) {
        this.nFrames = nFrames;
        this.hop = hop;
        this.fftSize = fftSize;
        this.sampleRate = sampleRate;
        this.frameRate = sampleRate / hop;
        this.onset = onset;
        this.chroma = chroma;
        this.mfcc = mfcc;
        this.energyDb = energyDb;
        this.lowOnset = lowOnset;
        this.bandDb = bandDb;
        this.songLevelDb = songLevelDb;
    }

    /** Time in seconds of the centre of frame {@code t}. */
    public double frameTime(double t) {
        return t * hop / sampleRate;
    }

    /** FFT size for a sample rate: the largest power of two not above 0.1 s, within [256, 8192]. */
    static int fftSizeFor(double sampleRate) {
        int n = 256;
        while (n * 2 <= sampleRate * 0.1 && n < 8192) {
            n *= 2;
        }
        return n;
    }

    public static SpectralFeatures compute(float[] samples, double sampleRate, DoubleConsumer progress) {
        final int n = fftSizeFor(sampleRate);
        final int hop = n / 4;
        final int half = n / 2;
        final int nFrames = samples.length == 0 ? 0 : 1 + samples.length / hop;

        // --- filter banks, precomputed per call (cheap, keeps the class stateless)
        double fMax = Math.min(8000.0, sampleRate / 2.0);
        int[] melStart = new int[N_MELS];
        float[][] melW = new float[N_MELS][];
        buildMel(n, sampleRate, 30.0, fMax, melStart, melW);
        double[][] dct = new double[N_MFCC][N_MELS];
        for (int c = 0; c < N_MFCC; c++) {
            double norm = c == 0 ? Math.sqrt(1.0 / N_MELS) : Math.sqrt(2.0 / N_MELS);
            for (int b = 0; b < N_MELS; b++) {
                dct[c][b] = norm * Math.cos(Math.PI * c * (b + 0.5) / N_MELS);
            }
        }
        // chroma: bin -> pitch class, with soft weight to the two nearest classes
        int kLo = Math.max(1, (int) Math.ceil(55.0 * n / sampleRate));
        int kHi = Math.min(half - 1, (int) Math.floor(5000.0 * n / sampleRate));
        int[] pcA = new int[half + 1];
        float[] wA = new float[half + 1];
        for (int k = kLo; k <= kHi; k++) {
            double f = k * sampleRate / n;
            double midi = 69.0 + 12.0 * Math.log(f / 440.0) / Math.log(2.0);
            double fl = Math.floor(midi);
            double frac = midi - fl;
            pcA[k] = Math.floorMod((int) fl, 12);
            wA[k] = (float) (1.0 - frac); // remaining weight goes to pcA+1
        }

        // window power normalisation: a full-scale sine gives about 0 dB
        float[] win = new HannWindow().generateCurve(n);
        double wsum = 0;
        for (float w : win) {
            wsum += w;
        }
        double powNorm = 4.0 / (wsum * wsum);

        float gain = levelGain(samples);
        FFT fft = new FFT(n); // windowing done here
        float[] buf = new float[n];
        float[] power = new float[half + 1];
        double[] logMel = new double[N_MELS];
        double[] prevLogMel = new double[N_MELS];
        float[] onset = new float[nFrames];
        float[][] chroma = new float[nFrames][12];
        float[][] mfcc = new float[nFrames][N_MFCC];
        float[] energyDb = new float[nFrames];
        float[] lowOnset = new float[nFrames];
        float[][] bandDb = new float[nFrames][N_BANDS];
        double[] bandPow = new double[N_BANDS];
        int nLow = 0;
        while (nLow < N_MELS && (melStart[nLow] + melW[nLow].length) * sampleRate / n <= LOW_HZ) {
            nLow++;
        }
        nLow = Math.max(1, nLow);
        java.util.Arrays.fill(prevLogMel, FLOOR_DB);
        int reportEvery = Math.max(1, nFrames / 20);

        for (int t = 0; t < nFrames; t++) {
            int start = t * hop - half;
            for (int i = 0; i < n; i++) {
                int s = start + i;
                buf[i] = (s >= 0 && s < samples.length) ? samples[s] * gain * win[i] : 0f;
            }
            fft.forwardTransform(buf);
            power[0] = buf[0] * buf[0];
            power[half] = buf[1] * buf[1];
            double total = power[0] + power[half];
            for (int k = 1; k < half; k++) {
                float re = buf[2 * k];
                float im = buf[2 * k + 1];
                power[k] = re * re + im * im;
                total += power[k];
            }
            energyDb[t] = (float) Math.max(FLOOR_DB, 10.0 * Math.log10(total * powNorm + 1e-30));

            double flux = 0;
            double lowFlux = 0;
            for (int b = 0; b < N_MELS; b++) {
                float[] w = melW[b];
                int k0 = melStart[b];
                double e = 0;
                for (int j = 0; j < w.length; j++) {
                    e += w[j] * power[k0 + j];
                }
                double db = Math.max(FLOOR_DB, 10.0 * Math.log10(e * powNorm + 1e-30));
                logMel[b] = db;
                bandPow[b * N_BANDS / N_MELS] += e * powNorm;
                double d = db - prevLogMel[b];
                if (d > 0) {
                    flux += d;
                    if (b < nLow) {
                        lowFlux += d;
                    }
                }
                prevLogMel[b] = db;
            }
            for (int q = 0; q < N_BANDS; q++) {
                bandDb[t][q] = (float) Math.max(FLOOR_DB, 10.0 * Math.log10(bandPow[q] + 1e-30));
                bandPow[q] = 0;
            }
            onset[t] = (float) (flux / N_MELS);
            lowOnset[t] = (float) (lowFlux / nLow);
            float[] mf = mfcc[t];
            for (int c = 0; c < N_MFCC; c++) {
                double acc = 0;
                double[] row = dct[c];
                for (int b = 0; b < N_MELS; b++) {
                    acc += row[b] * logMel[b];
                }
                mf[c] = (float) acc;
            }
            float[] ch = chroma[t];
            for (int k = kLo; k <= kHi; k++) {
                float p = power[k];
                int pc = pcA[k];
                ch[pc] += wA[k] * p;
                ch[pc == 11 ? 0 : pc + 1] += (1f - wA[k]) * p;
            }
            if (progress != null && t % reportEvery == 0) {
                progress.accept((double) t / nFrames);
            }
        }
        if (nFrames > 0) {
            onset[0] = 0f; // the first frame's "flux" is against silence
            // Log flux rises as soon as an attack enters the leading edge of the window, about one
            // hop before it reaches the frame centre (measured: -27 ms on click tracks at 22.05 kHz).
            // Attribute each frame's flux to the next frame so beat times land on the attacks.
            System.arraycopy(onset, 0, onset, 1, nFrames - 1);
            onset[0] = 0f;
            lowOnset[0] = 0f;
            System.arraycopy(lowOnset, 0, lowOnset, 1, nFrames - 1);
            lowOnset[0] = 0f;
        }
        return new SpectralFeatures(nFrames, hop, n, sampleRate, onset, chroma, mfcc, energyDb, lowOnset, bandDb,
                REFERENCE_RMS_DB - 20.0 * Math.log10(gain));
    }

    /** Gain that brings the song's RMS to {@link #REFERENCE_RMS_DB}; 1 for silence. */
    static float levelGain(float[] samples) {
        double sum = 0;
        for (float v : samples) {
            sum += (double) v * v;
        }
        if (samples.length == 0 || sum <= 0) {
            return 1f;
        }
        double rmsDb = 10.0 * Math.log10(sum / samples.length);
        double g = Math.pow(10.0, (REFERENCE_RMS_DB - rmsDb) / 20.0);
        return (float) Math.max(1e-4, Math.min(1e4, g));
    }

    private static double hzToMel(double f) {
        return 2595.0 * Math.log10(1.0 + f / 700.0);
    }

    private static double melToHz(double m) {
        return 700.0 * (Math.pow(10.0, m / 2595.0) - 1.0);
    }

    private static void buildMel(int n, double sr, double fMin, double fMax, int[] start, float[][] weights) {
        int nb = start.length;
        double mMin = hzToMel(fMin);
        double mMax = hzToMel(fMax);
        double[] edges = new double[nb + 2];
        for (int i = 0; i < nb + 2; i++) {
            edges[i] = melToHz(mMin + (mMax - mMin) * i / (nb + 1));
        }
        double binHz = sr / n;
        for (int b = 0; b < nb; b++) {
            double lo = edges[b];
            double c = edges[b + 1];
            double hi = edges[b + 2];
            int k0 = (int) Math.floor(lo / binHz);
            int k1 = (int) Math.ceil(hi / binHz);
            k1 = Math.min(k1, n / 2);
            k0 = Math.max(0, Math.min(k0, k1));
            float[] w = new float[k1 - k0 + 1];
            double sum = 0;
            for (int k = k0; k <= k1; k++) {
                double f = k * binHz;
                double v;
                if (f <= lo || f >= hi) {
                    v = 0;
                } else if (f <= c) {
                    v = (f - lo) / (c - lo);
                } else {
                    v = (hi - f) / (hi - c);
                }
                w[k - k0] = (float) v;
                sum += v;
            }
            if (sum <= 0) { // band narrower than a bin: take the nearest bin
                int kc = (int) Math.min(n / 2, Math.round(c / binHz));
                k0 = kc;
                w = new float[] {1f};
            }
            start[b] = k0;
            weights[b] = w;
        }
    }
}
