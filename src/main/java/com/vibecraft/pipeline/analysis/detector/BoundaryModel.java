package com.vibecraft.pipeline.analysis.detector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A learned section-start scorer: a small gradient-boosted ensemble of depth-2 decision trees
 * (logistic loss) over the per-beat {@link BoundaryFeatures} (structural novelty at two scales and
 * its local shape, repetition stripes starting and ending, chord change, onsets and bass onsets,
 * energy change, bar position, evidence one and two phrases away), trained on pop909-train by
 * {@link BoundaryTraining} ({@code train-boundaries} on the command line). The segmenter picks
 * boundaries at the local maxima of its probability above {@link #threshold()}, strongest first,
 * keeping the minimum section length.
 *
 * <p>The model is a small text file: {@code threshold T}, {@code features ...} (the column names,
 * which must match), {@code base B} (initial log-odds), then one line per tree:
 * {@code t f0 c0 f1 c1 f2 c2 v0 v1 v2 v3} — the root tests feature f0 ≤ c0, its left child f1 ≤ c1,
 * its right child f2 ≤ c2 (feature −1: no test, go left), leaves v0..v3 left to right.
 * Immutable and thread-safe.
 */
public final class BoundaryModel {

    /** The model shipped in the jar. */
    public static final String RESOURCE = "/com/vibecraft/pipeline/analysis/detector/boundary-model.txt";

    /** One depth-2 tree. */
    record Tree(int f0, double c0, int f1, double c1, int f2, double c2, double[] leaf) {
        double eval(double[] x) {
            if (f0 < 0 || x[f0] <= c0) {
                return leaf[f1 < 0 || x[f1] <= c1 ? 0 : 1];
            }
            return leaf[f2 < 0 || x[f2] <= c2 ? 2 : 3];
        }
    }

    private final double base;
    private final List<Tree> trees;
    private final double threshold;
    /** log(P(gap) / uniform) of the gap in units between successive section starts; may be empty. */
    private final double[] gapPrior;
    /** Weight of {@link #gapPrior} in the boundary choice; 0 = greedy choice. */
    private final double gapWeight;

    BoundaryModel(double base, List<Tree> trees, double threshold) {
        this(base, trees, threshold, new double[0], 0.0);
    }

    /** Optional network whose section-start logit is blended with the trees' (null: trees alone). */
    private final SequenceModel sequence;

    BoundaryModel(double base, List<Tree> trees, double threshold, double[] gapPrior, double gapWeight) {
        this(base, trees, threshold, gapPrior, gapWeight, null);
    }

    private BoundaryModel(double base, List<Tree> trees, double threshold, double[] gapPrior, double gapWeight,
                          SequenceModel sequence) {
        this.sequence = sequence;
        this.base = base;
        this.trees = List.copyOf(trees);
        this.threshold = threshold;
        this.gapPrior = gapPrior.clone();
        this.gapWeight = gapPrior.length == 0 ? 0.0 : gapWeight;
    }

    /** The model in the jar: the trees and the sequence network that places their section starts. */
    public static BoundaryModel bundled() {
        return bundledTrees().withSequence(SequenceModel.bundled());
    }

    /** The trees in the jar alone (no sequence network). */
    public static BoundaryModel bundledTrees() {
        return parse(ModelResources.text("boundary model", RESOURCE));
    }

    /** These trees with a sequence network (null: the trees alone). */
    public BoundaryModel withSequence(SequenceModel network) {
        return new BoundaryModel(base, trees, threshold, gapPrior, gapWeight, network);
    }

    /** The sequence network blended with the trees, or null. */
    public SequenceModel sequence() {
        return sequence;
    }

    /**
     * Section starts (unit indices) of a song's units: the trees' probabilities, blended with the
     * sequence network's when there is one, decoded by {@link #pick}.
     */
    List<Integer> sectionStarts(StructureSegmenter.Units x, double minSec, double durationSec) {
        return sectionStarts(x, probabilities(x, minSec), minSec, durationSec);
    }

    /** Section starts from {@link #probabilities}. */
    List<Integer> sectionStarts(StructureSegmenter.Units x, Probabilities p, double minSec, double durationSec) {
        return sequence == null ? pick(p.trees(), x.unitSec, minSec, durationSec)
                : sequence.sectionStarts(this, p.trees(), p.starts(), x.unitSec, minSec, durationSec);
    }

    /**
     * Per unit, the trees' probability that a section starts there, and the one the starts are
     * placed by (the sequence network's when there is one, else the trees').
     */
    record Probabilities(double[] trees, double[] starts) {
    }

    Probabilities probabilities(StructureSegmenter.Units x, double minSec) {
        double[][] features = BoundaryFeatures.compute(x, minSec);
        double[] p = score(features);
        return new Probabilities(p, sequence == null ? p
                : sequence.probabilities(p, SequenceFeatures.compute(x, features)));
    }

    /** Reads the text form ({@link #toText()}). */
    public static BoundaryModel parse(String text) {
        List<String> names = BoundaryFeatures.NAMES;
        Double thr = null;
        Double base = null;
        boolean featuresOk = false;
        List<Tree> trees = new ArrayList<>();
        double gapWeight = 0;
        double[] gaps = new double[0];
        for (String[] t : ModelResources.records(text)) {
            switch (t[0]) {
                case "threshold" -> thr = Double.parseDouble(t[1]);
                case "base" -> base = Double.parseDouble(t[1]);
                case "gapweight" -> gapWeight = Double.parseDouble(t[1]);
                case "gaps" -> gaps = ModelResources.numbers(t, 1);
                case "features" -> {
                    if (!Arrays.asList(t).subList(1, t.length).equals(names)) {
                        throw new IllegalArgumentException("boundary model features differ from the detector's: "
                                + String.join(" ", Arrays.asList(t).subList(1, t.length)));
                    }
                    featuresOk = true;
                }
                case "t" -> {
                    if (t.length != 11) {
                        throw new IllegalArgumentException("bad boundary model tree: " + String.join(" ", t));
                    }
                    int f0 = feature(t[1]);
                    int f1 = feature(t[3]);
                    int f2 = feature(t[5]);
                    double[] leaf = new double[4];
                    for (int i = 0; i < 4; i++) {
                        leaf[i] = Double.parseDouble(t[7 + i]);
                    }
                    trees.add(new Tree(f0, Double.parseDouble(t[2]), f1, Double.parseDouble(t[4]), f2,
                            Double.parseDouble(t[6]), leaf));
                }
                default -> throw new IllegalArgumentException("bad boundary model line: " + String.join(" ", t));
            }
        }
        if (thr == null || base == null || !featuresOk || trees.isEmpty()) {
            throw new IllegalArgumentException("boundary model needs threshold, base, features and trees");
        }
        return new BoundaryModel(base, trees, thr, gaps, gapWeight);
    }

    private static int feature(String s) {
        int f = Integer.parseInt(s);
        if (f < -1 || f >= BoundaryFeatures.NAMES.size()) {
            throw new IllegalArgumentException("boundary model feature index out of range: " + s);
        }
        return f;
    }

    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "threshold %.4f%n", threshold));
        b.append("features ").append(String.join(" ", BoundaryFeatures.NAMES)).append('\n');
        b.append(String.format(Locale.ROOT, "base %.5f%n", base));
        if (gapPrior.length > 0) {
            b.append(String.format(Locale.ROOT, "gapweight %.3f%n", gapWeight));
            b.append("gaps");
            for (double v : gapPrior) {
                b.append(String.format(Locale.ROOT, " %.2f", v));
            }
            b.append('\n');
        }
        for (Tree t : trees) {
            b.append(String.format(Locale.ROOT, "t %d %.5g %d %.5g %d %.5g %.4f %.4f %.4f %.4f%n",
                    t.f0, t.c0, t.f1, t.c1, t.f2, t.c2, t.leaf[0], t.leaf[1], t.leaf[2], t.leaf[3]));
        }
        return b.toString();
    }

    public double threshold() {
        return threshold;
    }

    public int trees() {
        return trees.size();
    }

    BoundaryModel withThreshold(double t) {
        return new BoundaryModel(base, trees, t, gapPrior, gapWeight, sequence);
    }

    BoundaryModel withGaps(double[] prior, double weight) {
        return new BoundaryModel(base, trees, threshold, prior, weight, sequence);
    }

    double[] gapPrior() {
        return gapPrior.clone();
    }

    double gapWeight() {
        return gapWeight;
    }

    /**
     * Section starts (unit indices, ascending) from the per-unit probabilities: without a gap
     * prior, greedy local maxima ({@link StructureSegmenter#pickByScore}); with one, the set that
     * maximises Σ (logit p − logit threshold) over the chosen units plus gapWeight · Σ log-prior
     * of the gaps between successive chosen units (dynamic programming; sections of 8 or 16 bars
     * are far more common than 7 or 13), every section at least {@code minSec} long.
     */
    List<Integer> pick(double[] p, double[] unitSec, double minSec, double durationSec) {
        if (gapWeight == 0.0) {
            return StructureSegmenter.pickByScore(p, unitSec, minSec, durationSec, threshold);
        }
        int n = p.length;
        double lt = logit(threshold);
        List<Integer> cand = candidates(p, unitSec, minSec, durationSec);
        int c = cand.size();
        double[] best = new double[c];
        int[] from = new int[c];
        Arrays.fill(best, Double.NEGATIVE_INFINITY);
        best[0] = 0;
        from[0] = -1;
        for (int b = 1; b < c; b++) {
            int j = cand.get(b);
            double tj = j == n ? durationSec : unitSec[j];
            double sj = j == n ? 0 : logit(p[j]) - lt;
            for (int a = 0; a < b; a++) {
                int i = cand.get(a);
                if (best[a] == Double.NEGATIVE_INFINITY || tj - unitSec[i] < minSec) {
                    continue;
                }
                double v = best[a] + gapScore(i, j, n) + sj;
                if (v > best[b]) {
                    best[b] = v;
                    from[b] = a;
                }
            }
        }
        List<Integer> out = new ArrayList<>();
        for (int b = from[c - 1]; b > 0; b = from[b]) {
            out.add(cand.get(b));
        }
        Collections.reverse(out);
        return out;
    }

    /**
     * As {@link #pick} with a gap prior, but with at most (or exactly) {@code k} section starts; null
     * when no such set exists.
     */
    List<Integer> pickCount(double[] p, double[] unitSec, double minSec, double durationSec, int k, boolean exact) {
        int n = p.length;
        double lt = logit(threshold);
        List<Integer> cand = candidates(p, unitSec, minSec, durationSec);
        int c = cand.size();
        // best[b][m]: best score ending with candidate b as the m-th chosen start (m = 0: the song start)
        double[][] best = new double[c][k + 2];
        int[][] from = new int[c][k + 2];
        for (double[] row : best) {
            Arrays.fill(row, Double.NEGATIVE_INFINITY);
        }
        best[0][0] = 0;
        for (int b = 1; b < c; b++) {
            int j = cand.get(b);
            boolean end = j == n;
            double tj = end ? durationSec : unitSec[j];
            double sj = end ? 0 : logit(p[j]) - lt;
            for (int a = 0; a < b; a++) {
                int i = cand.get(a);
                if (tj - unitSec[i] < minSec) {
                    continue;
                }
                double prior = gapScore(i, j, n);
                for (int m = 0; m <= k; m++) {
                    if (best[a][m] == Double.NEGATIVE_INFINITY) {
                        continue;
                    }
                    int mm = end ? m : m + 1;
                    if (mm > k) {
                        continue;
                    }
                    double v = best[a][m] + prior + sj;
                    if (v > best[b][mm]) {
                        best[b][mm] = v;
                        from[b][mm] = a;
                    }
                }
            }
        }
        int bestM = -1;
        for (int m = exact ? k : 0; m <= k; m++) {
            if (best[c - 1][m] > Double.NEGATIVE_INFINITY && (bestM < 0 || best[c - 1][m] > best[c - 1][bestM])) {
                bestM = m;
            }
        }
        if (bestM < 0) {
            return null;
        }
        List<Integer> out = new ArrayList<>();
        int b = from[c - 1][bestM];
        int m = bestM;
        while (b > 0) {
            out.add(cand.get(b));
            int a = from[b][m];
            m--;
            b = a;
        }
        Collections.reverse(out);
        return out;
    }

    /** The dynamic programmes' candidate starts: the start (0), local maxima (±1 unit) of at least CANDIDATE_P, the end (n). */
    private static List<Integer> candidates(double[] p, double[] unitSec, double minSec, double durationSec) {
        int n = p.length;
        List<Integer> cand = new ArrayList<>();
        cand.add(0);
        for (int u = 1; u < n; u++) {
            double t = unitSec[u];
            if (p[u] >= CANDIDATE_P && p[u] >= p[u - 1] && (u + 1 >= n || p[u] > p[u + 1])
                    && t >= minSec && durationSec - t >= minSec) {
                cand.add(u);
            }
        }
        cand.add(n);
        return cand;
    }

    /**
     * The gap prior's weighted log-prior of a section from unit i to unit j (n: the song's end); the
     * lead-in before the first start and the tail after the last have none.
     */
    private double gapScore(int i, int j, int n) {
        if (i == 0 || j == n || gapPrior.length == 0) {
            return 0;
        }
        return gapWeight * (j - i < gapPrior.length ? gapPrior[j - i] : gapPrior[gapPrior.length - 1]);
    }

    /** Units below this probability are never boundaries (keeps the dynamic programme small). */
    static final double CANDIDATE_P = 0.02;

    private static double logit(double p) {
        double q = Math.min(1 - 1e-9, Math.max(1e-9, p));
        return Math.log(q / (1 - q));
    }

    /** Section-start probability per row of features. */
    double[] score(double[][] x) {
        double[] p = new double[x.length];
        for (int u = 0; u < x.length; u++) {
            p[u] = sigmoid(logOdds(x[u]));
        }
        return p;
    }

    double logOdds(double[] row) {
        double z = base;
        for (Tree t : trees) {
            z += t.eval(row);
        }
        return z;
    }

    static double sigmoid(double z) {
        return 1.0 / (1.0 + Math.exp(-z));
    }

    /** Boosting settings. */
    static final int TREES = 150;
    static final double RATE = 0.1;
    static final double LEAF_L2 = 1.0;
    static final double MIN_HESS = 5.0;
    static final int BINS = 32;

    /**
     * Gradient boosting (logistic loss, Newton leaves, histogram split search on quantile bins).
     * Deterministic: same rows, same model.
     */
    static BoundaryModel fit(List<double[][]> xs, List<int[]> ys, double threshold) {
        int d = BoundaryFeatures.NAMES.size();
        int n = 0;
        for (double[][] x : xs) {
            n += x.length;
        }
        double[][] rows = new double[n][];
        int[] y = new int[n];
        int k = 0;
        for (int s = 0; s < xs.size(); s++) {
            for (int u = 0; u < xs.get(s).length; u++) {
                rows[k] = xs.get(s)[u];
                y[k++] = ys.get(s)[u];
            }
        }
        // quantile cut points per feature; bin b holds values in (cut[b-1], cut[b]]
        double[][] cuts = new double[d][];
        byte[][] bin = new byte[d][n];
        double[] col = new double[n];
        for (int f = 0; f < d; f++) {
            for (int i = 0; i < n; i++) {
                col[i] = rows[i][f];
            }
            double[] sorted = col.clone();
            Arrays.sort(sorted);
            double[] c = new double[BINS - 1];
            int m = 0;
            for (int q = 1; q < BINS; q++) {
                double v = sorted[(int) ((long) q * (n - 1) / BINS)];
                if (m == 0 || v > c[m - 1]) {
                    c[m++] = v;
                }
            }
            cuts[f] = Arrays.copyOf(c, m);
            for (int i = 0; i < n; i++) {
                int b = Arrays.binarySearch(cuts[f], col[i]);
                bin[f][i] = (byte) (b >= 0 ? b : -b - 1);
            }
        }
        int pos = 0;
        for (int v : y) {
            pos += v;
        }
        double base = Math.log((pos + 1.0) / (n - pos + 1.0));
        double[] z = new double[n];
        Arrays.fill(z, base);
        double[] g = new double[n];
        double[] h = new double[n];
        int[] node = new int[n];
        List<Tree> trees = new ArrayList<>();
        for (int it = 0; it < TREES; it++) {
            for (int i = 0; i < n; i++) {
                double p = sigmoid(z[i]);
                g[i] = p - y[i];
                h[i] = Math.max(1e-6, p * (1 - p));
                node[i] = 0;
            }
            int[] root = bestSplit(bin, g, h, node, 0, d);
            int f0 = root[0];
            double c0 = f0 < 0 ? 0 : cuts[f0][root[1]];
            for (int i = 0; i < n; i++) {
                node[i] = f0 >= 0 && bin[f0][i] > root[1] ? 2 : 1;
            }
            int[] left = bestSplit(bin, g, h, node, 1, d);
            int[] right = bestSplit(bin, g, h, node, 2, d);
            int f1 = left[0];
            int f2 = right[0];
            double c1 = f1 < 0 ? 0 : cuts[f1][left[1]];
            double c2 = f2 < 0 ? 0 : cuts[f2][right[1]];
            double[] gs = new double[4];
            double[] hs = new double[4];
            int[] leafOf = new int[n];
            for (int i = 0; i < n; i++) {
                int l = node[i] == 1 ? (f1 >= 0 && bin[f1][i] > left[1] ? 1 : 0)
                        : (f2 >= 0 && bin[f2][i] > right[1] ? 3 : 2);
                leafOf[i] = l;
                gs[l] += g[i];
                hs[l] += h[i];
            }
            double[] leaf = new double[4];
            for (int l = 0; l < 4; l++) {
                leaf[l] = hs[l] > 0 ? -RATE * gs[l] / (hs[l] + LEAF_L2) : 0;
            }
            for (int i = 0; i < n; i++) {
                z[i] += leaf[leafOf[i]];
            }
            trees.add(new Tree(f0, c0, f1, c1, f2, c2, leaf));
        }
        return new BoundaryModel(base, trees, threshold);
    }

    /** Best (feature, bin) split of the rows in a node by the Newton gain; feature −1 if none. */
    private static int[] bestSplit(byte[][] bin, double[] g, double[] h, int[] node, int which, int d) {
        int n = g.length;
        double gt = 0;
        double ht = 0;
        for (int i = 0; i < n; i++) {
            if (node[i] == which) {
                gt += g[i];
                ht += h[i];
            }
        }
        double parent = gt * gt / (ht + LEAF_L2);
        double bestGain = 1e-9;
        int bestF = -1;
        int bestB = 0;
        double[] hg = new double[BINS];
        double[] hh = new double[BINS];
        for (int f = 1; f < d; f++) { // column 0 is the constant bias
            Arrays.fill(hg, 0);
            Arrays.fill(hh, 0);
            byte[] bf = bin[f];
            for (int i = 0; i < n; i++) {
                if (node[i] == which) {
                    hg[bf[i]] += g[i];
                    hh[bf[i]] += h[i];
                }
            }
            double gl = 0;
            double hl = 0;
            for (int b = 0; b < BINS - 1; b++) {
                gl += hg[b];
                hl += hh[b];
                double gr = gt - gl;
                double hr = ht - hl;
                if (hl < MIN_HESS || hr < MIN_HESS) {
                    continue;
                }
                double gain = gl * gl / (hl + LEAF_L2) + gr * gr / (hr + LEAF_L2) - parent;
                if (gain > bestGain) {
                    bestGain = gain;
                    bestF = f;
                    bestB = b;
                }
            }
        }
        return new int[] {bestF, bestB};
    }
}
