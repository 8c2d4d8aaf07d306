package com.vibecraft.pipeline.analysis;

import com.vibecraft.pipeline.analysis.detector.ModelResources;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A learned namer for the local detector's segments: intro, verse, chorus, bridge or outro from
 * what a listener can tell about a segment — where it lies in the song, how long it is, how often
 * its material comes back and for how long, how loud it is against the rest and against its
 * neighbours, when its material is first heard — by a multinomial logistic regression, then the
 * most likely sequence of types (Viterbi) under learned transition, first and last priors (an
 * intro opens, an outro closes, a chorus follows a verse more often than the reverse), in which a
 * material heard more than once keeps one name ({@link #typeRows(double[][], int[])}).
 *
 * <p>Trained on pop909-train's human labels ({@code train-section-types}); the model is a small
 * text resource: {@code features ...}, {@code mean ...}, {@code sd ...}, one {@code w TYPE ...}
 * line per type, {@code start ...}, {@code end ...} and one {@code trans FROM ...} line per type
 * (log-probabilities). Immutable and thread-safe.
 */
public final class SectionTypeModel {

    public static final List<String> TYPES = List.of("intro", "verse", "chorus", "bridge", "outro");
    public static final List<String> FEATURES = List.of("bias", "centre", "start", "end", "first", "last",
            "share", "logLength", "occurrences", "materialShare", "once", "energyZ", "materialLoudness",
            "materialOrder", "materialFirstStart", "occurrenceIndex", "louderThanPrevious", "louderThanNext");
    public static final String RESOURCE = "/com/vibecraft/pipeline/analysis/section-type-model.txt";

    private final double[] mean;
    private final double[] sd;
    private final double[][] w;
    private final double[] startLog;
    private final double[] endLog;
    private final double[][] transLog;

    SectionTypeModel(double[] mean, double[] sd, double[][] w, double[] startLog, double[] endLog,
                     double[][] transLog) {
        this.mean = mean.clone();
        this.sd = sd.clone();
        this.w = deepCopy(w);
        this.startLog = startLog.clone();
        this.endLog = endLog.clone();
        this.transLog = deepCopy(transLog);
    }

    /** The types chosen for a song's segments and the model's probability of each. */
    public record Typing(int[] types, double[] confidence) {
    }

    /** The model in the jar. */
    public static SectionTypeModel bundled() {
        return parse(ModelResources.text("section type model", RESOURCE));
    }

    /**
     * Features of each segment (in time order, tiling the song).
     *
     * @param cluster material of each segment (equal = the same material)
     * @param energy  mean RMS of each segment
     */
    public static double[][] features(double[] start, double[] end, int[] cluster, double[] energy) {
        int k = start.length;
        double song = end[k - 1];
        double[] len = new double[k];
        for (int i = 0; i < k; i++) {
            len[i] = Math.max(1e-3, end[i] - start[i]);
        }
        double[] sortedLen = len.clone();
        Arrays.sort(sortedLen);
        double medianLen = sortedLen[k / 2];
        int nClusters = 0;
        for (int c : cluster) {
            nClusters = Math.max(nClusters, c + 1);
        }
        int[] occ = new int[nClusters];
        double[] dur = new double[nClusters];
        double[] eSum = new double[nClusters];
        double[] first = new double[nClusters];
        int[] order = new int[nClusters];
        Arrays.fill(first, Double.NaN);
        Arrays.fill(order, -1);
        int next = 0;
        double eMean = 0;
        for (int i = 0; i < k; i++) {
            int c = cluster[i];
            occ[c]++;
            dur[c] += len[i];
            eSum[c] += energy[i] * len[i];
            if (order[c] < 0) {
                order[c] = next++;
                first[c] = start[i];
            }
            eMean += energy[i] * len[i];
        }
        eMean /= song;
        double eVar = 0;
        for (int i = 0; i < k; i++) {
            eVar += len[i] * (energy[i] - eMean) * (energy[i] - eMean);
        }
        double eSd = Math.sqrt(eVar / song) + 1e-9;
        // loudness rank of each material (1 = loudest)
        double[] cLoud = new double[nClusters];
        for (int c = 0; c < nClusters; c++) {
            double me = occ[c] > 0 ? eSum[c] / dur[c] : 0;
            int quieter = 0;
            int others = 0;
            for (int d = 0; d < nClusters; d++) {
                if (d != c && occ[d] > 0) {
                    others++;
                    if (eSum[d] / dur[d] < me) {
                        quieter++;
                    }
                }
            }
            cLoud[c] = others == 0 ? 0.5 : quieter / (double) others;
        }
        int[] seen = new int[nClusters];
        double[][] x = new double[k][FEATURES.size()];
        for (int i = 0; i < k; i++) {
            int c = cluster[i];
            double ez = (energy[i] - eMean) / eSd;
            double[] r = x[i];
            r[0] = 1;
            r[1] = (start[i] + end[i]) / 2 / song;
            r[2] = start[i] / song;
            r[3] = end[i] / song;
            r[4] = i == 0 ? 1 : 0;
            r[5] = i == k - 1 ? 1 : 0;
            r[6] = len[i] / song;
            r[7] = Math.log(len[i] / medianLen);
            r[8] = Math.min(6, occ[c]);
            r[9] = dur[c] / song;
            r[10] = occ[c] == 1 ? 1 : 0;
            r[11] = ez;
            r[12] = cLoud[c];
            r[13] = nClusters > 1 ? order[c] / (double) (nClusters - 1) : 0;
            r[14] = first[c] / song;
            r[15] = occ[c] > 1 ? seen[c] / (double) (occ[c] - 1) : 0;
            r[16] = i > 0 ? ez - (energy[i - 1] - eMean) / eSd : 0;
            r[17] = i + 1 < k ? ez - (energy[i + 1] - eMean) / eSd : 0;
            seen[c]++;
        }
        return x;
    }

    /** Per-segment type probabilities (rows sum to 1). */
    double[][] probabilities(double[][] x) {
        double[][] p = new double[x.length][TYPES.size()];
        double[] z = new double[FEATURES.size()];
        for (int i = 0; i < x.length; i++) {
            standardise(x[i], mean, sd, z);
            softmax(scores(z, w), p[i]);
        }
        return p;
    }

    /** The bias stays 1; every other feature becomes (value − mean) / sd. */
    private static void standardise(double[] row, double[] mean, double[] sd, double[] z) {
        z[0] = 1;
        for (int f = 1; f < row.length; f++) {
            z[f] = (row[f] - mean[f]) / sd[f];
        }
    }

    private static double[] scores(double[] z, double[][] weights) {
        double[] s = new double[weights.length];
        for (int t = 0; t < weights.length; t++) {
            double acc = 0;
            for (int f = 0; f < z.length; f++) {
                acc += weights[t][f] * z[f];
            }
            s[t] = acc;
        }
        return s;
    }

    /**
     * The most likely type sequence of the segments in which every repeated material keeps one
     * name ({@link #typeRows(double[][], int[])}), and each type's probability.
     */
    public Typing type(double[] start, double[] end, int[] cluster, double[] energy) {
        if (start.length == 0) {
            return new Typing(new int[0], new double[0]);
        }
        return typeRows(features(start, end, cluster, energy), cluster);
    }

    /** The most likely type sequence of the segments' {@link #features}, each segment free. */
    public Typing typeRows(double[][] x) {
        int k = x.length;
        if (k == 0) {
            return new Typing(new int[0], new double[0]);
        }
        double[][] p = probabilities(x);
        Decoded d = viterbi(p, new boolean[k][TYPES.size()]);
        return typing(p, d.types());
    }

    /** Index of the intro and of the outro in {@link #TYPES}. */
    public static final int INTRO = TYPES.indexOf("intro");
    public static final int OUTRO = TYPES.indexOf("outro");
    /** The names a repeated material may take: verse, chorus, bridge. */
    private static final int[] REPEATED_TYPES = {TYPES.indexOf("verse"), TYPES.indexOf("chorus"), TYPES.indexOf("bridge")};
    /** Up to this many repeated materials every combination of their names is tried. */
    private static final int EXHAUSTIVE_MATERIALS = 7;

    /**
     * As {@link #typeRows(double[][])}, but a material heard more than once is one verse, chorus or
     * bridge wherever it returns — a listener names a part by what it is, so the second A of ABAB
     * is the first A's verse again, not a bridge. Only the song's first segment may still open as
     * the intro and its last close as the outro. The best sequence over every combination of the
     * repeated materials' names (coordinate ascent when there are more than {@value #EXHAUSTIVE_MATERIALS}).
     *
     * @param cluster material of each segment (equal = the same material)
     */
    public Typing typeRows(double[][] x, int[] cluster) {
        int k = x.length;
        if (cluster.length != k) {
            throw new IllegalArgumentException(cluster.length + " materials for " + k + " segments");
        }
        if (k == 0) {
            return new Typing(new int[0], new double[0]);
        }
        double[][] p = probabilities(x);
        // the segments of each material heard more than once, by material
        Map<Integer, List<Integer>> byMaterial = new TreeMap<>();
        for (int i = 0; i < k; i++) {
            byMaterial.computeIfAbsent(cluster[i], c -> new ArrayList<>()).add(i);
        }
        List<List<Integer>> repeated = byMaterial.values().stream().filter(m -> m.size() > 1).toList();
        int[] choice = new int[repeated.size()];
        Function<int[], Decoded> decode = c -> viterbi(p, forbidden(k, repeated, c));
        Decoded best = repeated.size() <= EXHAUSTIVE_MATERIALS
                ? bestOfAllNames(decode, choice)
                : bestByAscent(decode, choice, firstGuess(viterbi(p, new boolean[k][TYPES.size()]).types(), repeated));
        return typing(p, best.types());
    }

    /** The best decoding over every combination of names (choice is overwritten). */
    private static Decoded bestOfAllNames(Function<int[], Decoded> decode, int[] choice) {
        Decoded best = null;
        int combinations = (int) Math.pow(REPEATED_TYPES.length, choice.length);
        for (int n = 0; n < combinations; n++) {
            for (int j = 0, code = n; j < choice.length; j++, code /= REPEATED_TYPES.length) {
                choice[j] = code % REPEATED_TYPES.length;
            }
            Decoded d = decode.apply(choice);
            if (best == null || d.score() > best.score()) {
                best = d;
            }
        }
        return best;
    }

    /** Each material's most frequent name (index into {@link #REPEATED_TYPES}) when every segment is free. */
    private static int[] firstGuess(int[] free, List<List<Integer>> repeated) {
        int[] guess = new int[repeated.size()];
        for (int j = 0; j < guess.length; j++) {
            int[] votes = new int[REPEATED_TYPES.length];
            for (int i : repeated.get(j)) {
                for (int v = 0; v < votes.length; v++) {
                    votes[v] += free[i] == REPEATED_TYPES[v] ? 1 : 0;
                }
            }
            for (int v = 1; v < votes.length; v++) {
                guess[j] = votes[v] > votes[guess[j]] ? v : guess[j];
            }
        }
        return guess;
    }

    /** From a first guess, changes one material's name at a time while that improves the decoding. */
    private static Decoded bestByAscent(Function<int[], Decoded> decode, int[] choice, int[] guess) {
        System.arraycopy(guess, 0, choice, 0, choice.length);
        Decoded best = decode.apply(choice);
        for (boolean improved = true; improved; ) {
            improved = false;
            for (int j = 0; j < choice.length; j++) {
                int kept = choice[j];
                for (int v = 0; v < REPEATED_TYPES.length; v++) {
                    if (v == kept) {
                        continue;
                    }
                    choice[j] = v;
                    Decoded d = decode.apply(choice);
                    if (d.score() > best.score() + 1e-12) {
                        best = d;
                        kept = v;
                        improved = true;
                    }
                }
                choice[j] = kept;
            }
        }
        return best;
    }

    /** Which types each segment may not take when the repeated materials carry the chosen names. */
    private static boolean[][] forbidden(int k, List<List<Integer>> repeated, int[] choice) {
        boolean[][] no = new boolean[k][TYPES.size()];
        for (int j = 0; j < repeated.size(); j++) {
            int named = REPEATED_TYPES[choice[j]];
            for (int i : repeated.get(j)) {
                for (int t = 0; t < TYPES.size(); t++) {
                    boolean opensOrCloses = (i == 0 && t == INTRO) || (i == k - 1 && t == OUTRO);
                    no[i][t] = t != named && !opensOrCloses;
                }
            }
        }
        return no;
    }

    private record Decoded(int[] types, double score) {
    }

    /** The most likely type sequence (log-probabilities plus priors) avoiding the forbidden types. */
    private Decoded viterbi(double[][] p, boolean[][] forbidden) {
        int k = p.length;
        int m = TYPES.size();
        double[][] best = new double[k][m];
        int[][] from = new int[k][m];
        for (int t = 0; t < m; t++) {
            best[0][t] = forbidden[0][t] ? Double.NEGATIVE_INFINITY : Math.log(p[0][t] + 1e-9) + startLog[t];
        }
        for (int i = 1; i < k; i++) {
            for (int t = 0; t < m; t++) {
                double bv = Double.NEGATIVE_INFINITY;
                int bf = 0;
                for (int s = 0; s < m; s++) {
                    double v = best[i - 1][s] + transLog[s][t];
                    if (v > bv) {
                        bv = v;
                        bf = s;
                    }
                }
                best[i][t] = forbidden[i][t] ? Double.NEGATIVE_INFINITY : bv + Math.log(p[i][t] + 1e-9);
                from[i][t] = bf;
            }
        }
        int last = 0;
        for (int t = 1; t < m; t++) {
            if (best[k - 1][t] + endLog[t] > best[k - 1][last] + endLog[last]) {
                last = t;
            }
        }
        int[] types = new int[k];
        types[k - 1] = last;
        for (int i = k - 1; i > 0; i--) {
            types[i - 1] = from[i][types[i]];
        }
        return new Decoded(types, best[k - 1][last] + endLog[last]);
    }

    /** Log-probability of a type sequence under the model (what the decodings maximise). */
    double logScore(double[][] x, int[] types) {
        double[][] p = probabilities(x);
        double s = startLog[types[0]] + endLog[types[types.length - 1]];
        for (int i = 0; i < types.length; i++) {
            s += Math.log(p[i][types[i]] + 1e-9) + (i > 0 ? transLog[types[i - 1]][types[i]] : 0);
        }
        return s;
    }

    private static Typing typing(double[][] p, int[] types) {
        double[] conf = new double[types.length];
        for (int i = 0; i < types.length; i++) {
            conf[i] = p[i][types[i]];
        }
        return new Typing(types, conf);
    }

    /** Reads the text form ({@link #toText()}). */
    public static SectionTypeModel parse(String text) {
        int m = TYPES.size();
        int d = FEATURES.size();
        double[] mean = null;
        double[] sd = null;
        double[][] w = new double[m][];
        double[] start = null;
        double[] end = null;
        double[][] trans = new double[m][];
        for (String[] t : ModelResources.records(text)) {
            switch (t[0]) {
                case "features" -> {
                    if (!Arrays.asList(t).subList(1, t.length).equals(FEATURES)) {
                        throw new IllegalArgumentException("section type model features differ: " + String.join(" ", t));
                    }
                }
                case "mean" -> mean = numbers(t, 1, d);
                case "sd" -> sd = numbers(t, 1, d);
                case "w" -> w[typeIndex(t[1])] = numbers(t, 2, d);
                case "start" -> start = numbers(t, 1, m);
                case "end" -> end = numbers(t, 1, m);
                case "trans" -> trans[typeIndex(t[1])] = numbers(t, 2, m);
                default -> throw new IllegalArgumentException("bad section type model line: " + String.join(" ", t));
            }
        }
        if (mean == null || sd == null || start == null || end == null || Arrays.asList(w).contains(null)
                || Arrays.asList(trans).contains(null)) {
            throw new IllegalArgumentException("section type model needs features, mean, sd, w, start, end and trans");
        }
        return new SectionTypeModel(mean, sd, w, start, end, trans);
    }

    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append("features ").append(String.join(" ", FEATURES)).append('\n');
        line(b, "mean", mean);
        line(b, "sd", sd);
        for (int t = 0; t < TYPES.size(); t++) {
            line(b, "w " + TYPES.get(t), w[t]);
        }
        line(b, "start", startLog);
        line(b, "end", endLog);
        for (int t = 0; t < TYPES.size(); t++) {
            line(b, "trans " + TYPES.get(t), transLog[t]);
        }
        return b.toString();
    }

    // ---- training

    /**
     * One training song: segment features, the reference type of each segment, its length (weight)
     * and its material (equal = the same material).
     */
    public record Example(double[][] x, int[] y, double[] weight, int[] material) {
    }

    static final int ITERATIONS = 800;
    static final double STEP = 0.5;
    static final double L2 = 1e-3;

    /**
     * Multinomial logistic regression (time-weighted, L2, full-batch gradient descent from zero:
     * deterministic) and the type transition priors counted on the references (add-one smoothed).
     */
    public static SectionTypeModel fit(List<Example> songs) {
        int m = TYPES.size();
        int d = FEATURES.size();
        List<double[]> rows = new ArrayList<>();
        List<Integer> ys = new ArrayList<>();
        List<Double> ws = new ArrayList<>();
        double[] startC = new double[m];
        double[] endC = new double[m];
        double[][] transC = new double[m][m];
        Arrays.fill(startC, 1);
        Arrays.fill(endC, 1);
        for (double[] r : transC) {
            Arrays.fill(r, 1);
        }
        for (Example e : songs) {
            for (int i = 0; i < e.x().length; i++) {
                rows.add(e.x()[i]);
                ys.add(e.y()[i]);
                ws.add(e.weight()[i]);
                if (i > 0) {
                    transC[e.y()[i - 1]][e.y()[i]]++;
                }
            }
            if (e.y().length > 0) {
                startC[e.y()[0]]++;
                endC[e.y()[e.y().length - 1]]++;
            }
        }
        int n = rows.size();
        double[] mean = new double[d];
        double[] sd = new double[d];
        for (int f = 1; f < d; f++) {
            double s = 0;
            for (double[] r : rows) {
                s += r[f];
            }
            mean[f] = s / Math.max(1, n);
            double v = 0;
            for (double[] r : rows) {
                v += (r[f] - mean[f]) * (r[f] - mean[f]);
            }
            sd[f] = Math.sqrt(v / Math.max(1, n)) + 1e-9;
        }
        sd[0] = 1;
        double wTotal = 0;
        for (double v : ws) {
            wTotal += v;
        }
        double[][] w = new double[m][d];
        double[][] grad = new double[m][d];
        double[] p = new double[m];
        double[] z = new double[d];
        for (int it = 0; it < ITERATIONS; it++) {
            for (double[] g : grad) {
                Arrays.fill(g, 0);
            }
            for (int i = 0; i < n; i++) {
                standardise(rows.get(i), mean, sd, z);
                softmax(scores(z, w), p);
                double wi = ws.get(i) / wTotal;
                int y = ys.get(i);
                for (int t = 0; t < m; t++) {
                    double e = (p[t] - (t == y ? 1 : 0)) * wi;
                    for (int f = 0; f < d; f++) {
                        grad[t][f] += e * z[f];
                    }
                }
            }
            for (int t = 0; t < m; t++) {
                for (int f = 0; f < d; f++) {
                    w[t][f] -= STEP * (grad[t][f] + L2 * w[t][f]);
                }
            }
        }
        double[] startLog = logNormalise(startC);
        double[] endLog = logNormalise(endC);
        double[][] transLog = new double[m][];
        for (int t = 0; t < m; t++) {
            transLog[t] = logNormalise(transC[t]);
        }
        return new SectionTypeModel(mean, sd, w, startLog, endLog, transLog);
    }

    private static double[] logNormalise(double[] c) {
        double s = 0;
        for (double v : c) {
            s += v;
        }
        double[] out = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            out[i] = Math.log(c[i] / s);
        }
        return out;
    }

    private static void softmax(double[] s, double[] out) {
        double mx = Double.NEGATIVE_INFINITY;
        for (double v : s) {
            mx = Math.max(mx, v);
        }
        double sum = 0;
        for (int i = 0; i < s.length; i++) {
            out[i] = Math.exp(s[i] - mx);
            sum += out[i];
        }
        for (int i = 0; i < s.length; i++) {
            out[i] /= sum;
        }
    }

    private static int typeIndex(String name) {
        int i = TYPES.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("unknown section type in model: " + name);
        }
        return i;
    }

    private static double[] numbers(String[] t, int from, int count) {
        if (t.length - from != count) {
            throw new IllegalArgumentException("expected " + count + " numbers in: " + String.join(" ", t));
        }
        return ModelResources.numbers(t, from);
    }

    private static void line(StringBuilder b, String head, double[] v) {
        b.append(head);
        for (double x : v) {
            b.append(String.format(Locale.ROOT, " %.5g", x));
        }
        b.append('\n');
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }
}
