package com.vibecraft.pipeline.analysis;

import static com.vibecraft.pipeline.analysis.MoodRules.ramp;
import static com.vibecraft.pipeline.analysis.MoodRules.round;

import com.vibecraft.pipeline.analysis.detector.SoundMeasures;
import java.util.ArrayList;
import java.util.List;

/**
 * A heuristic genre from tempo, rhythm and timbre statistics. There is no labelled genre data here, so
 * these are fixed rules, each genre's score the mean of a few ramps that describe its textbook sound
 * (README "Genre" lists them); the answer is the best score, its share of the total, and up to two
 * runners-up with a share of at least {@value #SECONDARY_MIN_SHARE}. Good at unambiguous styles;
 * blends and anything outside the seven genres are guesses.
 */
public final class GenreRules {

    static final double SECONDARY_MIN_SHARE = 0.15;
    static final List<String> GENRES = List.of("electronic", "rock", "hip-hop", "pop", "classical", "ambient");

    private GenreRules() {
    }

    public static Genre of(SoundMeasures m, double bpm) {
        double[] score = scores(m, bpm);
        double total = 0;
        for (double s : score) {
            total += s;
        }
        Integer[] order = new Integer[score.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> score[b] != score[a] ? Double.compare(score[b], score[a]) : a - b);
        double sum = total > 0 ? total : 1;
        List<Genre.GenreGuess> secondary = new ArrayList<>();
        for (int k = 1; k < order.length && secondary.size() < 2; k++) {
            double share = score[order[k]] / sum;
            if (share >= SECONDARY_MIN_SHARE) {
                secondary.add(new Genre.GenreGuess(GENRES.get(order[k]), round(share)));
            }
        }
        return new Genre(GENRES.get(order[0]), round(score[order[0]] / sum), secondary);
    }

    /** One score per {@link #GENRES} entry, each in [0, 1]. */
    static double[] scores(SoundMeasures m, double bpm) {
        double beat = ramp(Math.max(m.pulseClarity(), m.bassPulse()), 0.3, 0.6);
        double machineBeat = ramp(Math.max(m.pulseClarity(), m.bassPulse()), 0.5, 0.8);
        double steady = ramp(m.tempoStability(), 0.88, 0.95);
        double loud = ramp(m.loudnessDb(), -22, -12);
        double quiet = 1 - loud;
        double dark = 1 - ramp(m.brightnessDb(), -25, -12);
        double dynamic = ramp(m.dynamicsDb(), 3, 6);
        double cymbals = ramp(m.cymbalRate(), 0.2, 1.0);
        double struck = ramp(m.decayDb(), 15, 25);
        // distortion: noisy broadband sound that does not decay between beats, played loud
        double distorted = (ramp(m.flatness(), 0.25, 0.40) + (1 - ramp(m.decayDb(), 3, 6))
                + ramp(m.loudnessDb(), -16, -8)) / 3;
        double felt = folded(bpm);
        double electronic = mean(machineBeat, steady, loud, 1 - struck, cymbals, 1 - distorted,
                Math.max(band(felt, 115, 140, 12), band(bpm, 160, 180, 10)));
        double rock = 0.7 * distorted + 0.3 * beat;
        double hiphop = 0.9 * mean(beat, ramp(m.bassPulse(), 0.3, 0.6), band(bpm, 75, 100, 10), 1 - distorted, dark,
                1 - struck);
        double pop = 0.85 * mean(beat, 1 - distorted, loud, band(felt, 85, 135, 15), 1 - steady);
        double classical = mean(1 - distorted, quiet, Math.max(dark, dynamic), 1 - cymbals);
        double ambient = mean(1 - ramp(m.onsetRate(), 0.4, 1.0), 1 - beat, 1 - distorted, dark,
                1 - ramp(m.decayDb(), 8, 15));
        return new double[] {electronic, rock, hiphop, pop, classical, ambient};
    }

    /** The tempo folded into [80, 160) BPM: a tracker may lock on half or double the felt beat. */
    static double folded(double bpm) {
        if (bpm <= 0) {
            return 0;
        }
        double b = bpm;
        while (b < 80) {
            b *= 2;
        }
        while (b >= 160) {
            b /= 2;
        }
        return b;
    }

    /** 1 inside [lo, hi], falling linearly to 0 over {@code slope} BPM outside. */
    static double band(double bpm, double lo, double hi, double slope) {
        if (bpm <= 0) {
            return 0;
        }
        return bpm < lo ? ramp(bpm, lo - slope, lo) : bpm > hi ? 1 - ramp(bpm, hi, hi + slope) : 1;
    }

    private static double mean(double... v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
