package com.vibecraft.pipeline.analysis.detector;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Training of the {@link BoundaryModel} from annotated songs: every beat unit of a song is an
 * example, positive when it is the unit nearest to an annotated section start (within
 * {@value #LABEL_TOL_SEC} s). The probability threshold is then chosen on the same training songs
 * by running the boundary picker and maximising the mean of the ±0.5 s and ±3 s trimmed
 * boundary hit-rate F.
 */
public final class BoundaryTraining {

    /** An annotated start further than this from every unit start gives no positive example. */
    static final double LABEL_TOL_SEC = 0.5;

    /** One annotated song ready for training: features and labels per unit. */
    public static final class Song {
        final String id;
        final double[][] x;
        final int[] y;
        final double[] unitSec;
        final double durationSec;
        final double[] reference;
        /** Boundaries of the novelty peak picking without the model (for comparison). */
        double[] baseline = new double[0];
        /** The {@link SequenceModel}'s inputs per unit (null unless prepared with labels). */
        float[][] sequence;
        /** Section function per unit ({@link SequenceModel#FUNCTIONS} index), null as above. */
        int[] function;

        Song(String id, double[][] x, int[] y, double[] unitSec, double durationSec, double[] reference) {
            this.id = id;
            this.x = x;
            this.y = y;
            this.unitSec = unitSec;
            this.durationSec = durationSec;
            this.reference = reference;
        }

        public String id() {
            return id;
        }

        /** The sequence model's inputs per unit; null unless prepared with labels. */
        public float[][] sequence() {
            return sequence;
        }

        /** Section function per unit; null unless prepared with labels. */
        public int[] functions() {
            return function;
        }

        public double durationSec() {
            return durationSec;
        }

        public double[] unitSec() {
            return unitSec;
        }

        public double[] reference() {
            return reference;
        }

        /** 1 where a section starts, per unit. */
        public int[] targets() {
            return y;
        }

        public int positives() {
            int c = 0;
            for (int v : y) {
                c += v;
            }
            return c;
        }
    }

    /** A trained model and its hit rates on the training songs at the chosen threshold. */
    public record Result(BoundaryModel model, double hr05, double hr3, int songs, int units, int positives) {
        public String summary() {
            return String.format(Locale.ROOT,
                    "%d songs, %d units, %d section starts; threshold %.2f, gap weight %.1f; train HR.5Ft %.3f HR3Ft %.3f",
                    songs, units, positives, model.threshold(), model.gapWeight(), hr05, hr3);
        }
    }

    private BoundaryTraining() {
    }

    /**
     * Runs the detector's front end on a song (the same features, beats and units as
     * detection) and labels its units.
     *
     * @param referenceStarts annotated section start times in seconds (0 and the end are ignored)
     * @return null when the song is too short for a segmentation
     */
    public static Song prepare(String id, float[] samples, double sampleRate, double[] referenceStarts) {
        return prepare(id, samples, sampleRate, referenceStarts, null);
    }

    /**
     * As {@link #prepare(String, float[], double, double[])}, and with the section labels
     * (one per reference start) also the sequence model's inputs and function targets.
     */
    public static Song prepare(String id, float[] samples, double sampleRate, double[] referenceStarts,
                               String[] labels) {
        double duration = samples.length / sampleRate;
        SpectralFeatures f = SpectralFeatures.compute(samples, sampleRate, v -> { });
        BeatTracker.Beats beats = BeatTracker.track(f.onset, f.frameRate);
        StructureSegmenter.Units u = StructureSegmenter.analyse(f, beats.frames(), duration);
        if (u == null) {
            return null;
        }
        double minSec = com.vibecraft.pipeline.analysis.LocalStructureDetector.DEFAULT_MIN_SECTION_SEC;
        double[][] x = BoundaryFeatures.compute(u, minSec);
        int[] y = new int[u.n];
        List<Double> inner = new ArrayList<>();
        for (double b : referenceStarts) {
            if (b <= 0.5 || b >= duration - 0.5) {
                continue;
            }
            inner.add(b);
            int best = -1;
            double bd = Double.POSITIVE_INFINITY;
            for (int i = 1; i < u.n; i++) {
                double d = Math.abs(u.unitSec[i] - b);
                if (d < bd) {
                    bd = d;
                    best = i;
                }
            }
            if (best > 0 && bd <= LABEL_TOL_SEC) {
                y[best] = 1;
            }
        }
        double[] ref = inner.stream().mapToDouble(Double::doubleValue).toArray();
        Song song = new Song(id, x, y, u.unitSec, duration, ref);
        List<Integer> b = StructureSegmenter.classicBoundaries(u, minSec);
        song.baseline = b.stream().mapToDouble(i -> u.unitSec[i]).toArray();
        if (labels != null) {
            song.sequence = SequenceFeatures.compute(u, x);
            song.function = new int[u.n];
            for (int i = 0; i < u.n; i++) {
                int k = -1;
                for (int j = 0; j < referenceStarts.length; j++) {
                    if (referenceStarts[j] <= u.unitSec[i] + 1e-6) {
                        k = j;
                    }
                }
                song.function[i] = k < 0 ? SequenceModel.FUNCTIONS.size() - 1 : SequenceModel.function(labels[k]);
            }
        }
        return song;
    }

    /** Column names of {@link Song#sequence()}. */
    public static List<String> sequenceFeatureNames() {
        return SequenceFeatures.NAMES;
    }

    /**
     * The boundary model's probabilities on every song, each from the model trained without the
     * song's fold (the i-th distinct song id in fold i mod k, as {@link #crossValidate}).
     */
    public static List<double[]> outOfFold(List<Song> songs, double minSectionSec, int k) {
        java.util.Map<String, Integer> foldOf = foldOf(songs, k);
        List<double[]> probs = new ArrayList<>(java.util.Collections.nCopies(songs.size(), (double[]) null));
        for (int fold = 0; fold < k; fold++) {
            List<Song> tr = new ArrayList<>();
            for (Song s : songs) {
                if (foldOf.get(s.id) != fold) {
                    tr.add(s);
                }
            }
            BoundaryModel m = train(tr, minSectionSec).model();
            for (int i = 0; i < songs.size(); i++) {
                if (foldOf.get(songs.get(i).id) == fold) {
                    probs.set(i, m.score(songs.get(i).x));
                }
            }
        }
        return probs;
    }

    /** Fold of each song id: the i-th distinct id in fold i mod k (every rendering of a song in one fold). */
    public static java.util.Map<String, Integer> foldOf(List<Song> songs, int k) {
        java.util.Map<String, Integer> foldOf = new java.util.LinkedHashMap<>();
        for (Song s : songs) {
            foldOf.computeIfAbsent(s.id, id -> foldOf.size() % k);
        }
        return foldOf;
    }

    public static Result train(List<Song> songs, double minSectionSec) {
        List<double[][]> xs = new ArrayList<>();
        List<int[]> ys = new ArrayList<>();
        int units = 0;
        int pos = 0;
        for (Song s : songs) {
            xs.add(s.x);
            ys.add(s.y);
            units += s.y.length;
            pos += s.positives();
        }
        BoundaryModel m = BoundaryModel.fit(xs, ys, 0.5).withGaps(gapPrior(songs), 0);
        List<double[]> probs = new ArrayList<>();
        for (Song s : songs) {
            probs.add(m.score(s.x));
        }
        BoundaryModel bestM = m;
        double[] best = {-1, 0, 0};
        for (double w : GAP_WEIGHTS) {
            for (int k = 2; k <= 60; k += 2) {
                BoundaryModel c = m.withGaps(m.gapPrior(), w).withThreshold(0.01 * k);
                double[] hr = evaluate(songs, probs, c, minSectionSec);
                if (W05 * hr[0] + hr[1] > best[0]) {
                    best = new double[] {W05 * hr[0] + hr[1], hr[0], hr[1]};
                    bestM = c;
                }
            }
        }
        return new Result(bestM, best[1], best[2], songs.size(), units, pos);
    }

    /** Gap-prior weights tried (0 = greedy choice without the prior). */
    /** Weight of HR.5Ft beside HR3Ft when the threshold and gap weight are chosen. */
    static final double W05 = 1.0;
    static final double[] GAP_WEIGHTS = {0, 0.25, 0.5, 0.75, 1, 1.5};
    /** Longest gap (units) with its own prior value; longer ones share the last. */
    static final int MAX_GAP = 192;

    /**
     * log(P(gap) / uniform) of the gaps (in units) between successive annotated section starts,
     * lightly smoothed, with add-one counts; the last entry is for every longer gap.
     */
    static double[] gapPrior(List<Song> songs) {
        double[] h = new double[MAX_GAP + 2];
        for (Song s : songs) {
            int prev = -1;
            for (int u = 0; u < s.y.length; u++) {
                if (s.y[u] == 1) {
                    if (prev >= 0) {
                        h[Math.min(MAX_GAP + 1, u - prev)] += 1;
                    }
                    prev = u;
                }
            }
        }
        double[] sm = new double[h.length];
        for (int g = 0; g < h.length; g++) {
            sm[g] = 0.5 * h[g] + 0.25 * (g > 0 ? h[g - 1] : 0) + 0.25 * (g + 1 < h.length ? h[g + 1] : 0) + 0.2;
        }
        sm[h.length - 1] = h[h.length - 1] + 0.2;
        double total = 0;
        for (double v : sm) {
            total += v;
        }
        double[] out = new double[h.length];
        for (int g = 0; g < h.length; g++) {
            out[g] = Math.log(sm[g] / total * h.length);
        }
        return out;
    }

    /**
     * k-fold cross-validation by song (the i-th distinct song id in fold i mod k, so that every
     * rendering of one song is in the same fold): train and choose the threshold on the other
     * folds, score the held-out one. Returns the mean held-out HR.5Ft and HR3Ft.
     */
    public static double[] crossValidate(List<Song> songs, double minSectionSec, int k) {
        List<Song> tested = new ArrayList<>();
        List<double[]> probs = new ArrayList<>();
        List<BoundaryModel> thr = new ArrayList<>();
        java.util.Map<String, Integer> foldOf = foldOf(songs, k);
        for (int fold = 0; fold < k; fold++) {
            List<Song> tr = new ArrayList<>();
            List<Song> te = new ArrayList<>();
            for (Song s : songs) {
                (foldOf.get(s.id) == fold ? te : tr).add(s);
            }
            BoundaryModel m = train(tr, minSectionSec).model();
            for (Song s : te) {
                tested.add(s);
                probs.add(m.score(s.x));
                thr.add(m);
            }
        }
        double h05 = 0;
        double h3 = 0;
        for (int i = 0; i < tested.size(); i++) {
            double[] r = evaluate(List.of(tested.get(i)), List.of(probs.get(i)), thr.get(i), minSectionSec);
            h05 += r[0];
            h3 += r[1];
        }
        return new double[] {h05 / tested.size(), h3 / tested.size()};
    }

    /** Mean trimmed hit-rate F at ±0.5 s and ±3 s of novelty peak picking without the model. */
    public static double[] baseline(List<Song> songs) {
        double h05 = 0;
        double h3 = 0;
        for (Song s : songs) {
            h05 += hitRateF(s.baseline, s.reference, 0.5);
            h3 += hitRateF(s.baseline, s.reference, 3.0);
        }
        return new double[] {h05 / songs.size(), h3 / songs.size()};
    }

    /** Mean trimmed hit-rate F at ±0.5 s and ±3 s of the picked boundaries. */
    static double[] evaluate(List<Song> songs, List<double[]> probs, BoundaryModel model, double minSec) {
        double h05 = 0;
        double h3 = 0;
        for (int k = 0; k < songs.size(); k++) {
            Song s = songs.get(k);
            List<Integer> b = model.pick(probs.get(k), s.unitSec, minSec, s.durationSec);
            double[] est = new double[b.size()];
            for (int i = 0; i < est.length; i++) {
                est[i] = s.unitSec[b.get(i)];
            }
            h05 += hitRateF(est, s.reference, 0.5);
            h3 += hitRateF(est, s.reference, 3.0);
        }
        return new double[] {h05 / songs.size(), h3 / songs.size()};
    }

    /** Boundary hit-rate F with greedy one-to-one matching in time order. */
    static double hitRateF(double[] est, double[] ref, double tol) {
        if (est.length == 0 || ref.length == 0) {
            return 0;
        }
        boolean[] used = new boolean[ref.length];
        int hits = 0;
        for (double e : est) {
            int best = -1;
            double bd = Double.POSITIVE_INFINITY;
            for (int j = 0; j < ref.length; j++) {
                double d = Math.abs(ref[j] - e);
                if (!used[j] && d <= tol && d < bd) {
                    bd = d;
                    best = j;
                }
            }
            if (best >= 0) {
                used[best] = true;
                hits++;
            }
        }
        double p = hits / (double) est.length;
        double r = hits / (double) ref.length;
        return p + r > 0 ? 2 * p * r / (p + r) : 0;
    }
}
