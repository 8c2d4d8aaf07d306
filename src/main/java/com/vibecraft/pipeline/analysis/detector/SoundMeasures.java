package com.vibecraft.pipeline.analysis.detector;

/**
 * Measurable properties of a stretch of a song, from its {@link SpectralFeatures} and beats: what the
 * mood and genre descriptions are computed from. Every value is cheap (one pass over the stretch's
 * frames) and, except {@link #loudnessDb}, independent of the recording's level.
 *
 * @param loudnessDb       mean power of the stretch, dBFS (a full-scale sine is about -3)
 * @param dynamicsDb       standard deviation of the one-second loudness over the stretch's sounding seconds, dB
 * @param onsetRate        mean onset strength (log-mel flux, dB per band per frame): how much new sound starts
 * @param brightnessDb     spectral tilt: mean level of the four upper broad bands (about 1.7–8 kHz) minus that
 *                         of the four lower ones, dB (dull is strongly negative)
 * @param pulseClarity     autocorrelation of the onset strength at the beat period (normalised), 0–1:
 *                         how strongly the attacks repeat with the beat
 * @param bassPulse        the same for the bass onsets (below 250 Hz): a kick drum or a bass on the beat
 * @param cymbalRate       mean rise, frame to frame, of the share of the power above about 3.6 kHz (the two top
 *                         broad bands), in percent: hi-hats, snares and cymbals make it jump on every hit;
 *                         pitched instruments carry little power there
 * @param dissonance       share of the pitch-class co-occurrence on semitones and tritones, 0–1
 * @param flatness         spectral flatness over the eight broad bands (geometric / arithmetic mean), 0–1:
 *                         broadband noise and distortion high
 * @param decayDb          median over the beats of how far the loudness falls within a beat (max − min, dB):
 *                         struck and plucked notes (piano, guitar) decay; pads, strings, distortion sustain
 * @param tempoStability   1 − the spread of the beat intervals relative to their median, 0–1
 */
public record SoundMeasures(double loudnessDb, double dynamicsDb, double onsetRate, double brightnessDb,
                            double pulseClarity, double bassPulse, double cymbalRate, double dissonance, double flatness,
                            double decayDb, double tempoStability) {

    /** What silence measures: no level, no sound in any band, nothing changing. */
    public static final SoundMeasures SILENCE = new SoundMeasures(-120, 0, 0, -60, 0, 0, 0, 0, 0, 0, 0);
    /** Frames this far below the song's reference level are silence. */
    static final double SILENT_BELOW_DB = 40.0;
    /** Bands from this index up (of {@link SpectralFeatures#N_BANDS}) are the upper half (about 1.7 kHz and up). */
    static final int BRIGHT_FROM_BAND = SpectralFeatures.N_BANDS / 2;

    /**
     * The measures of the song between {@code fromSec} and {@code toSec}; {@link #SILENCE} without features.
     *
     * @param beatTimes the song's beats in seconds (may be empty)
     */
    public static SoundMeasures of(SpectralFeatures f, double[] beatTimes, double fromSec, double toSec) {
        if (f == null) {
            return SILENCE;
        }
        int from = Math.max(0, (int) Math.floor(fromSec * f.frameRate));
        int to = Math.min(f.nFrames, (int) Math.ceil(toSec * f.frameRate));
        if (to - from < 2) {
            return SILENCE;
        }
        double silent = SpectralFeatures.REFERENCE_RMS_DB - SILENT_BELOW_DB;
        // energyDb was measured after the song was brought to the reference level
        double toAbsolute = f.songLevelDb - SpectralFeatures.REFERENCE_RMS_DB;
        double power = 0;
        double onset = 0;
        double cymbals = 0;
        double bright = 0;
        double flat = 0;
        double diss = 0;
        int sounding = 0;
        double[] band = new double[SpectralFeatures.N_BANDS];
        double prevTopShare = -1;
        // each frame's power once, for the mean here and the one-second loudness in dynamics()
        double[] framePower = new double[to - from];
        for (int t = from; t < to; t++) {
            framePower[t - from] = Math.pow(10, f.energyDb[t] / 10);
            power += framePower[t - from];
            onset += f.onset[t];
            if (f.energyDb[t] < silent) {
                continue;
            }
            sounding++;
            double total = 0;
            double logSum = 0;
            double tilt = 0;
            for (int q = 0; q < band.length; q++) {
                band[q] = Math.pow(10, f.bandDb[t][q] / 10) + 1e-12;
                total += band[q];
                logSum += Math.log(band[q]);
                tilt += (q >= BRIGHT_FROM_BAND ? 1.0 : -1.0) * f.bandDb[t][q] / BRIGHT_FROM_BAND;
            }
            bright += tilt;
            double topShare = (band[band.length - 1] + band[band.length - 2]) / total;
            if (prevTopShare >= 0 && topShare > prevTopShare) {
                cymbals += 100 * (topShare - prevTopShare);
            }
            prevTopShare = topShare;
            flat += Math.exp(logSum / band.length) / (total / band.length);
            diss += dissonance(f.chroma[t]);
        }
        int n = to - from;
        double loudness = 10 * Math.log10(power / n + 1e-30) + toAbsolute;
        double[] beats = beatFrames(f, beatTimes, from, to);
        int period = medianInterval(beats);
        double s = Math.max(1, sounding);
        return new SoundMeasures(
                round(Math.max(-120, loudness)),
                round(dynamics(framePower, f.frameRate, silent)),
                round(onset / n),
                sounding == 0 ? SILENCE.brightnessDb : round(bright / s),
                round(periodicity(f.onset, from, to, period)),
                round(periodicity(f.lowOnset, from, to, period)),
                round(cymbals / n),
                round(diss / s),
                round(flat / s),
                round(decay(f, beats, silent)),
                round(tempoStability(beats, period)));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /**
     * Of the products of pairs of different pitch classes (how much they sound together), the share on
     * the rough intervals: minor seconds / major sevenths fully, tritones half. A clean triad is near 0,
     * a cluster or noise near 0.25, chromatic clusters higher.
     */
    public static double dissonance(float[] chroma) {
        double sum = 0;
        for (float v : chroma) {
            sum += v;
        }
        if (!(sum > 0)) {
            return 0;
        }
        double all = 0;
        double rough = 0;
        for (int i = 0; i < 12; i++) {
            double a = chroma[i] / sum;
            for (int j = i + 1; j < 12; j++) {
                double p = a * chroma[j] / sum;
                all += p;
                int interval = j - i;
                if (interval == 1 || interval == 11) {
                    rough += p;
                } else if (interval == 6) {
                    rough += 0.5 * p;
                }
            }
        }
        return all > 0 ? rough / all : 0;
    }

    /** Standard deviation of the loudness of the stretch's sounding one-second windows, dB. */
    private static double dynamics(double[] framePower, double frameRate, double silent) {
        int w = Math.max(1, (int) Math.round(frameRate));
        double sum = 0;
        double sumSq = 0;
        int count = 0;
        for (int a = 0; a + w <= framePower.length; a += w) {
            double p = 0;
            for (int t = a; t < a + w; t++) {
                p += framePower[t];
            }
            double db = 10 * Math.log10(p / w + 1e-30);
            if (db >= silent) {
                sum += db;
                sumSq += db * db;
                count++;
            }
        }
        if (count < 2) {
            return 0;
        }
        double mean = sum / count;
        return Math.sqrt(Math.max(0, sumSq / count - mean * mean));
    }

    /** Median over the sounding beat intervals of (loudest − quietest frame), dB. */
    private static double decay(SpectralFeatures f, double[] beats, double silent) {
        if (beats.length < 2) {
            return 0;
        }
        double[] d = new double[beats.length - 1];
        int n = 0;
        for (int i = 1; i < beats.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            double min = Double.POSITIVE_INFINITY;
            for (int t = (int) Math.round(beats[i - 1]); t < (int) Math.round(beats[i]); t++) {
                max = Math.max(max, f.energyDb[t]);
                min = Math.min(min, f.energyDb[t]);
            }
            if (max >= silent) {
                d[n++] = max - Math.max(min, silent);
            }
        }
        if (n == 0) {
            return 0;
        }
        double[] sorted = java.util.Arrays.copyOf(d, n);
        java.util.Arrays.sort(sorted);
        return sorted[n / 2];
    }

    /** The beats inside [from, to) as frame positions. */
    private static double[] beatFrames(SpectralFeatures f, double[] beatTimes, int from, int to) {
        int n = 0;
        double[] out = new double[beatTimes.length];
        for (double t : beatTimes) {
            double frame = t * f.frameRate;
            if (frame >= from && frame < to) {
                out[n++] = frame;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Median beat interval in frames, 0 when there are fewer than 4 beats. */
    private static int medianInterval(double[] beats) {
        if (beats.length < 4) {
            return 0;
        }
        double[] d = new double[beats.length - 1];
        for (int i = 1; i < beats.length; i++) {
            d[i - 1] = beats[i] - beats[i - 1];
        }
        java.util.Arrays.sort(d);
        return (int) Math.round(d[d.length / 2]);
    }

    private static double tempoStability(double[] beats, int period) {
        if (period <= 0) {
            return 0;
        }
        double dev = 0;
        for (int i = 1; i < beats.length; i++) {
            dev += Math.abs(beats[i] - beats[i - 1] - period);
        }
        double relative = dev / (beats.length - 1) / period;
        return Math.max(0, 1 - 4 * relative);
    }

    /**
     * Normalised autocorrelation of the mean-removed envelope at the beat period (the best of the lags
     * period ± 1), 0 when there is no beat.
     */
    static double periodicity(float[] env, int from, int to, int period) {
        if (period <= 1 || to - from <= 2 * period) {
            return 0;
        }
        double mean = 0;
        for (int t = from; t < to; t++) {
            mean += env[t];
        }
        mean /= to - from;
        double r0 = 0;
        for (int t = from; t < to; t++) {
            double a = env[t] - mean;
            r0 += a * a;
        }
        if (!(r0 > 0)) {
            return 0;
        }
        double best = 0;
        for (int lag = period - 1; lag <= period + 1; lag++) {
            double r = 0;
            for (int t = from; t + lag < to; t++) {
                r += (env[t] - mean) * (env[t + lag] - mean);
            }
            // unbiased for the shorter overlap
            r *= (double) (to - from) / (to - from - lag);
            best = Math.max(best, r / r0);
        }
        return Math.min(1, best);
    }
}
