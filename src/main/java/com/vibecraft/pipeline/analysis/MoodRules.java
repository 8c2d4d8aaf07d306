package com.vibecraft.pipeline.analysis;

import com.vibecraft.pipeline.analysis.detector.SoundMeasures;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The mood of a song or a section from its {@link SoundMeasures}, its tempo and how major its key
 * sounds. Each value is a weighted mean of ramps ({@link #ramp}: 0 below the low end, 1 above the
 * high end, linear between), so every value is in [0, 1] and can be explained term by term; README
 * "Key, mood and genre" gives the same table.
 */
public final class MoodRules {

    /** A tag applies when its rule holds; its strength (how far past the threshold) orders the tags. */
    private record TagRule(String tag, java.util.function.ToDoubleFunction<double[]> margin) {
    }

    static final int MAX_TAGS = 3;

    // values: [energy, valence, danceability, tension]
    private static final List<TagRule> TAGS = List.of(
            new TagRule("energetic", v -> v[0] - 0.65),
            new TagRule("calm", v -> 0.35 - v[0]),
            new TagRule("happy", v -> Math.min(v[1] - 0.62, v[0] - 0.45)),
            new TagRule("melancholic", v -> Math.min(0.42 - v[1], 0.55 - v[0])),
            new TagRule("dark", v -> Math.min(0.40 - v[1], v[3] - 0.50)),
            new TagRule("danceable", v -> v[2] - 0.60),
            new TagRule("tense", v -> v[3] - 0.60),
            new TagRule("peaceful", v -> Math.min(0.40 - v[0], 0.35 - v[3])),
            new TagRule("uplifting", v -> Math.min(v[1] - 0.60, Math.min(v[0] - 0.55, 0.45 - v[3]))));

    private MoodRules() {
    }

    /**
     * @param majorLean how much more the key profile fits the best major key than the best minor one,
     *                  −1 (clearly minor) … 1 (clearly major), 0 when unknown
     */
    public static Mood of(SoundMeasures m, double bpm, double majorLean) {
        double major = (1 + Math.max(-1, Math.min(1, majorLean))) / 2;
        double energy = energy(m);
        double rough = ramp(m.dissonance(), 0.26, 0.42);
        // harsh: rough intervals, or noisy (distorted) sound
        double harsh = Math.max(rough, ramp(m.flatness(), 0.20, 0.45));
        double valence = 0.40 * major
                + 0.20 * ramp(bpm, 60, 150)
                + 0.15 * ramp(m.brightnessDb(), -30, -5)
                + 0.25 * (1 - harsh);
        double danceability = bpm <= 0 ? 0
                : 0.35 * ramp(m.pulseClarity(), 0.05, 0.45)
                + 0.20 * ramp(m.bassPulse(), 0.05, 0.45)
                + 0.20 * m.tempoStability()
                + 0.25 * tempoFit(bpm);
        double tension = 0.25 * rough
                + 0.25 * (1 - major)
                + 0.25 * ramp(m.dynamicsDb(), 2, 8)
                + 0.25 * ramp(m.flatness(), 0.10, 0.40);
        double[] v = {round(energy), round(valence), round(danceability), round(tension)};
        return new Mood(v[0], v[1], v[2], v[3], tags(v));
    }

    /** Loudness, density of attacks and brightness: what makes a chorus more energetic than its verse. */
    public static double energy(SoundMeasures m) {
        return 0.35 * ramp(m.loudnessDb(), -30, -8)
                + 0.25 * ramp(m.onsetRate(), 0.5, 2.0)
                + 0.20 * ramp(m.brightnessDb(), -30, -5)
                + 0.20 * ramp(m.flatness(), 0.10, 0.40);
    }

    /** 1 at 120 BPM, falling off by octaves (0.61 at 85 and 170 BPM, 0.14 at 60 and 240). */
    static double tempoFit(double bpm) {
        double octaves = Math.log(bpm / 120.0) / Math.log(2);
        return Math.exp(-octaves * octaves / (2 * 0.5 * 0.5));
    }

    /** The tags whose rule holds, strongest first, at most {@value #MAX_TAGS}; when none holds, the nearest one. */
    static List<String> tags(double[] v) {
        List<double[]> all = new ArrayList<>();
        for (int i = 0; i < TAGS.size(); i++) {
            all.add(new double[] {i, TAGS.get(i).margin().applyAsDouble(v)});
        }
        all.sort(Comparator.comparingDouble((double[] h) -> -h[1]).thenComparingDouble(h -> h[0]));
        List<String> out = new ArrayList<>();
        for (double[] h : all) {
            if (out.size() < MAX_TAGS && (h[1] >= 0 || out.isEmpty())) {
                out.add(TAGS.get((int) h[0]).tag());
            }
        }
        return out;
    }

    /** 0 at or below {@code lo}, 1 at or above {@code hi}, linear between. */
    static double ramp(double x, double lo, double hi) {
        return Math.max(0, Math.min(1, (x - lo) / (hi - lo)));
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
