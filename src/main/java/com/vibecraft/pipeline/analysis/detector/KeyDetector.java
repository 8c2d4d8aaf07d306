package com.vibecraft.pipeline.analysis.detector;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The key of a song or a stretch of it (tonic and mode), from its chroma: the stretch's pitch-class
 * profile (each sounding frame's chroma normalised to sum 1, so every moment counts the same whatever
 * its loudness) correlated with a major and a minor profile in every transposition, plus, weighted by
 * {@link #endingWeight}, the profile of its last seconds against an ending profile: music comes to rest
 * on its tonic, which is what tells a minor key from its relative major (the same notes).
 *
 * <p>The four profiles are learned from annotated songs ({@link #fit}: the mean profile of the songs of
 * each mode, each turned to C), shipped as {@code key-profiles.txt} and re-made by {@code train-key}.
 */
public final class KeyDetector {

    public static final String[] TONICS = {"C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B"};
    /** The ending profile covers this much of the stretch's last sounding audio. */
    static final double ENDING_SEC = 8.0;
    /** Frames this far below the song's reference level are silence and carry no pitch. */
    static final double SILENT_BELOW_DB = 40.0;
    /** A lead of the best key over the runner-up this large (per unit of score weight) is full confidence. */
    public static final double CLEAR_LEAD = 0.2;
    static final String RESOURCE = "/com/vibecraft/pipeline/analysis/detector/key-profiles.txt";

    /** A key: tonic pitch class (0 = C) and mode, with how clearly it won (0–1). */
    public record MusicalKey(int tonic, boolean minor, double confidence) {
        /** E.g. {@code "Db minor"}, the MIREX / mir_eval spelling. */
        public String name() {
            return TONICS[tonic] + (minor ? " minor" : " major");
        }

        /**
         * The MIREX weighted key score of this estimate against a reference: 1 same key, 0.5 a fifth
         * apart in the same mode, 0.3 relative major/minor, 0.2 parallel (same tonic), else 0.
         */
        public double mirexScore(MusicalKey reference) {
            if (tonic == reference.tonic && minor == reference.minor) {
                return 1.0;
            }
            if (minor == reference.minor && (Math.floorMod(tonic - reference.tonic, 12) == 7
                    || Math.floorMod(tonic - reference.tonic, 12) == 5)) {
                return 0.5;
            }
            if (minor != reference.minor) {
                int relative = reference.minor ? (reference.tonic + 3) % 12 : (reference.tonic + 9) % 12;
                if (tonic == relative) {
                    return 0.3;
                }
                if (tonic == reference.tonic) {
                    return 0.2;
                }
            }
            return 0.0;
        }

        /** Parses {@code "Db:min"}, {@code "C# major"}, {@code "A minor"}; null when it is not a key. */
        public static MusicalKey parse(String s) {
            if (s == null) {
                return null;
            }
            String[] p = s.trim().split("[: ]+");
            if (p.length != 2) {
                return null;
            }
            int t = tonicOf(p[0]);
            String mode = p[1].toLowerCase(Locale.ROOT);
            if (t < 0 || !(mode.startsWith("maj") || mode.startsWith("min"))) {
                return null;
            }
            return new MusicalKey(t, mode.startsWith("min"), 1.0);
        }

        private static int tonicOf(String name) {
            String[] sharps = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};
            for (int i = 0; i < 12; i++) {
                if (TONICS[i].equalsIgnoreCase(name) || sharps[i].equalsIgnoreCase(name)) {
                    return i;
                }
            }
            return switch (name) {
                case "Cb" -> 11;
                case "Fb" -> 4;
                case "E#" -> 5;
                case "B#" -> 0;
                default -> -1;
            };
        }
    }

    /** [0] major, [1] minor: the whole-stretch profiles; [2] major, [3] minor: the ending profiles. */
    private final double[][] profiles;
    private final double endingWeight;

    KeyDetector(double[][] profiles, double endingWeight) {
        this.profiles = profiles;
        this.endingWeight = endingWeight;
    }

    /** The profiles shipped in the jar. */
    public static KeyDetector bundled() {
        return parse(ModelResources.text("key profiles", RESOURCE));
    }

    public double endingWeight() {
        return endingWeight;
    }

    /** The key of the song between {@code fromSec} and {@code toSec}; null when nothing sounds there. */
    public MusicalKey detect(SpectralFeatures f, double fromSec, double toSec) {
        double[][] s = summary(f, fromSec, toSec);
        return s == null ? null : detect(s);
    }

    /** The key of a {@link #summary}. */
    public MusicalKey detect(double[][] summary) {
        double best = Double.NEGATIVE_INFINITY;
        double second = Double.NEGATIVE_INFINITY;
        int bestTonic = 0;
        boolean bestMinor = false;
        for (int mode = 0; mode < 2; mode++) {
            for (int tonic = 0; tonic < 12; tonic++) {
                double score = correlation(summary[0], profiles[mode], tonic)
                        + endingWeight * correlation(summary[1], profiles[2 + mode], tonic);
                if (score > best) {
                    second = best;
                    best = score;
                    bestTonic = tonic;
                    bestMinor = mode == 1;
                } else if (score > second) {
                    second = score;
                }
            }
        }
        // the winner's lead over the runner-up
        double confidence = Math.max(0, Math.min(1, (best - second) / (CLEAR_LEAD * (1 + endingWeight))));
        return new MusicalKey(bestTonic, bestMinor, Math.round(confidence * 1000) / 1000.0);
    }

    /** How well {@code key} fits the summary, on the scale of {@link #detect}'s scores. */
    public double score(double[][] summary, MusicalKey key) {
        int mode = key.minor() ? 1 : 0;
        return correlation(summary[0], profiles[mode], key.tonic())
                + endingWeight * correlation(summary[1], profiles[2 + mode], key.tonic());
    }

    /**
     * How much better the best major key fits than the best minor one, as a share of a clear lead:
     * −1 clearly minor … 1 clearly major.
     */
    public double majorLean(double[][] summary) {
        double[] best = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int mode = 0; mode < 2; mode++) {
            for (int tonic = 0; tonic < 12; tonic++) {
                best[mode] = Math.max(best[mode], score(summary, new MusicalKey(tonic, mode == 1, 0)));
            }
        }
        return Math.max(-1, Math.min(1, (best[0] - best[1]) / (CLEAR_LEAD * (1 + endingWeight))));
    }

    /** The same profiles without the ending: for a stretch inside a song, which need not come to rest on its tonic. */
    public KeyDetector withoutEnding() {
        return new KeyDetector(profiles, 0);
    }

    /**
     * The pitch-class profile of the stretch and of its last {@value #ENDING_SEC} s of sound, each
     * summing to 1; null when no frame in it sounds.
     */
    public static double[][] summary(SpectralFeatures f, double fromSec, double toSec) {
        int from = Math.max(0, (int) Math.floor(fromSec * f.frameRate));
        int to = Math.min(f.nFrames, (int) Math.ceil(toSec * f.frameRate));
        double silent = SpectralFeatures.REFERENCE_RMS_DB - SILENT_BELOW_DB;
        double[] whole = new double[12];
        int last = -1;
        for (int t = from; t < to; t++) {
            if (add(whole, f.chroma[t], f.energyDb[t], silent)) {
                last = t;
            }
        }
        if (last < 0) {
            return null;
        }
        double[] ending = new double[12];
        for (int t = Math.max(from, last - (int) Math.round(ENDING_SEC * f.frameRate)); t <= last; t++) {
            add(ending, f.chroma[t], f.energyDb[t], silent);
        }
        return new double[][] {normalised(whole), normalised(ending)};
    }

    private static boolean add(double[] acc, float[] chroma, float energyDb, double silentDb) {
        if (energyDb < silentDb) {
            return false;
        }
        double sum = 0;
        for (float v : chroma) {
            sum += v;
        }
        if (!(sum > 0)) {
            return false;
        }
        for (int i = 0; i < 12; i++) {
            acc[i] += chroma[i] / sum;
        }
        return true;
    }

    private static double[] normalised(double[] x) {
        double sum = 0;
        for (double v : x) {
            sum += v;
        }
        double[] out = new double[12];
        for (int i = 0; i < 12; i++) {
            out[i] = sum > 0 ? x[i] / sum : 0;
        }
        return out;
    }

    /** Pearson correlation of the profile of key {@code tonic} (the C profile turned up) with x. */
    static double correlation(double[] x, double[] profileOfC, int tonic) {
        double mx = 0;
        double mp = 0;
        for (int i = 0; i < 12; i++) {
            mx += x[(i + tonic) % 12];
            mp += profileOfC[i];
        }
        mx /= 12;
        mp /= 12;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < 12; i++) {
            double a = x[(i + tonic) % 12] - mx;
            double b = profileOfC[i] - mp;
            sxy += a * b;
            sxx += a * a;
            syy += b * b;
        }
        return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
    }

    /**
     * Learns the profiles from songs of known key: for each mode the mean of its songs' summaries, each
     * turned so that its tonic is C. Deterministic (the order of the songs does not matter beyond
     * rounding).
     */
    public static KeyDetector fit(List<double[][]> summaries, List<MusicalKey> keys, double endingWeight) {
        double[][] p = new double[4][12];
        int[] n = new int[2];
        for (int s = 0; s < summaries.size(); s++) {
            MusicalKey k = keys.get(s);
            int mode = k.minor() ? 1 : 0;
            n[mode]++;
            for (int part = 0; part < 2; part++) {
                for (int i = 0; i < 12; i++) {
                    p[2 * part + mode][i] += summaries.get(s)[part][(i + k.tonic()) % 12];
                }
            }
        }
        for (int row = 0; row < 4; row++) {
            int count = n[row % 2];
            for (int i = 0; i < 12; i++) {
                p[row][i] = count > 0 ? p[row][i] / count : 0;
            }
        }
        return new KeyDetector(p, endingWeight);
    }

    /** The profiles as the text {@link #parse} reads (comment lines start with #). */
    public String toText() {
        String[] names = {"major", "minor", "ending-major", "ending-minor"};
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "ending-weight %.3f%n", endingWeight));
        for (int row = 0; row < 4; row++) {
            b.append(names[row]);
            for (double v : profiles[row]) {
                b.append(String.format(Locale.ROOT, " %.6f", v));
            }
            b.append('\n');
        }
        return b.toString();
    }

    public static KeyDetector parse(String text) {
        double[][] p = new double[4][];
        double weight = 0;
        List<String> names = List.of("major", "minor", "ending-major", "ending-minor");
        for (String[] f : ModelResources.records(text)) {
            if (f[0].equals("ending-weight")) {
                weight = Double.parseDouble(f[1]);
            } else if (names.contains(f[0]) && f.length == 13) {
                p[names.indexOf(f[0])] = ModelResources.numbers(f, 1);
            } else {
                throw new IllegalArgumentException("Not a key profile line: " + String.join(" ", f));
            }
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            if (p[i] == null) {
                missing.add(names.get(i));
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("Key profiles miss " + missing);
        }
        return new KeyDetector(p, weight);
    }
}
