package com.vibecraft.pipeline.analysis.detector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A small temporal convolutional network over the beats of a song ({@link SequenceFeatures}): a
 * per-beat projection, then residual blocks of dilated convolutions (kernel 3, dilations 1, 2, 4, …)
 * that see 63 beats either side, and a per-beat section-start logit. It is trained offline
 * with PyTorch ({@code scripts/train_sequence_model.py}, multi-task: section start, section function
 * and bar lines; only the start head is shipped) on pop909-train's varied renders; inference is
 * plain Java. Its logit is blended with the {@link BoundaryModel}'s and the section starts are chosen
 * by the same global dynamic programme over beats with a soft gap prior ({@link BoundaryModel#pick}),
 * with this file's threshold and prior.
 * The shipped one ({@link #RESOURCE}) decodes with {@code count trees keep P}: the trees choose how
 * many starts and keep theirs of probability at least P, the network places the others
 * ({@link #sectionStarts}; left to itself it adds starts inside real recordings' parts, README
 * "Benchmark"); {@code bench --sequence-model off|FILE} measures without it or with another.
 *
 * <p>The text form: {@code features ...} (must match {@link SequenceFeatures#NAMES}), {@code mean},
 * {@code std} (input standardisation), then per network of the ensemble (trained from different
 * seeds; their logits are averaged) {@code input OUT IN w... b...}, {@code block DILATION C w... b...}
 * (weights in PyTorch's [out][in][k] order) and {@code head IN w... b}; then {@code blend A B C}
 * (logit = A·logit(p_trees) + B·net + C), {@code threshold}, {@code gapweight}, {@code gaps}, and
 * optionally {@code count trees keep P}.
 * Immutable and thread-safe.
 */
public final class SequenceModel {

    public static final String RESOURCE = "/com/vibecraft/pipeline/analysis/detector/sequence-model.txt";

    /** Section functions the network learns beside the starts (training target only). */
    static final List<String> FUNCTIONS = List.of("intro", "verse", "chorus", "bridge", "outro", "other");

    private final float[] mean;
    private final float[] std;
    /** Networks trained from different seeds; their logits are averaged (an ensemble). */
    private final List<Network> networks;
    private final double blendTrees;
    private final double blendNet;
    private final double blendBias;
    private final double threshold;
    private final double[] gapPrior;
    private final double gapWeight;
    /**
     * How the starts are decoded: {@code Double.NaN} = the network's starts alone ({@link #pick});
     * else as many starts as the trees choose, the trees' own starts of at least this probability
     * kept, the others placed where the network's decoding puts them ({@link #sectionStarts}).
     */
    private final double keepTreesP;

    /** One residual block: h + relu(conv_dilated(h)). */
    record Block(int dilation, float[][][] w, float[] b) {
    }

    /** One network: input projection, residual blocks, start head. */
    record Network(float[][] inW, float[] inB, List<Block> blocks, float[] headW, float headB) {
    }

    private SequenceModel(float[] mean, float[] std, List<Network> networks, double[] blend, double threshold,
                          double[] gapPrior, double gapWeight, double keepTreesP) {
        this.mean = mean;
        this.std = std;
        this.networks = List.copyOf(networks);
        this.blendTrees = blend[0];
        this.blendNet = blend[1];
        this.blendBias = blend[2];
        this.threshold = threshold;
        this.gapPrior = gapPrior;
        this.gapWeight = gapWeight;
        this.keepTreesP = keepTreesP;
    }

    /** Section function index of a reference label (unknown labels: "other"). */
    static int function(String label) {
        String l = label == null ? "" : label.toLowerCase(Locale.ROOT);
        for (int i = 0; i < FUNCTIONS.size() - 1; i++) {
            if (l.startsWith(FUNCTIONS.get(i))) {
                return i;
            }
        }
        if (l.startsWith("pre") || l.startsWith("inst") || l.startsWith("solo")) {
            return FUNCTIONS.indexOf("bridge");
        }
        return FUNCTIONS.size() - 1;
    }

    /** Reads the text form; without decode lines (a model fresh from training) blend = network alone. */
    public static SequenceModel parse(String text) {
        float[] mean = null;
        float[] std = null;
        List<Network> networks = new ArrayList<>();
        float[][] inW = null;
        float[] inB = null;
        List<Block> blocks = new ArrayList<>();
        float[] headW = null;
        float headB = 0;
        double[] blend = {0, 1, 0};
        double threshold = 0.5;
        double[] gaps = new double[0];
        double gapWeight = 0;
        double keep = Double.NaN;
        int d = SequenceFeatures.NAMES.size();
        boolean featuresOk = false;
        for (String[] t : ModelResources.records(text)) {
            switch (t[0]) {
                case "features" -> {
                    if (!Arrays.asList(t).subList(1, t.length).equals(SequenceFeatures.NAMES)) {
                        throw new IllegalArgumentException("sequence model features differ from the detector's");
                    }
                    featuresOk = true;
                }
                case "mean" -> mean = floats(t, 1, d);
                case "std" -> std = floats(t, 1, d);
                case "input" -> {
                    int out = Integer.parseInt(t[1]);
                    int in = Integer.parseInt(t[2]);
                    if (in != d) {
                        throw new IllegalArgumentException("sequence model input width " + in + " is not " + d);
                    }
                    float[] v = floats(t, 3, out * in + out);
                    inW = new float[out][in];
                    for (int o = 0; o < out; o++) {
                        System.arraycopy(v, o * in, inW[o], 0, in);
                    }
                    inB = Arrays.copyOfRange(v, out * in, out * in + out);
                }
                case "block" -> {
                    int dil = Integer.parseInt(t[1]);
                    int c = Integer.parseInt(t[2]);
                    float[] v = floats(t, 3, c * c * 3 + c);
                    float[][][] w = new float[c][c][3];
                    int k = 0;
                    for (int o = 0; o < c; o++) {
                        for (int i = 0; i < c; i++) {
                            for (int j = 0; j < 3; j++) {
                                w[o][i][j] = v[k++];
                            }
                        }
                    }
                    blocks.add(new Block(dil, w, Arrays.copyOfRange(v, k, k + c)));
                }
                case "head" -> {
                    int c = Integer.parseInt(t[1]);
                    float[] v = floats(t, 2, c + 1);
                    headW = Arrays.copyOf(v, c);
                    headB = v[c];
                    // the head ends a network
                    networks.add(network(inW, inB, blocks, headW, headB));
                    inW = null;
                    inB = null;
                    blocks = new ArrayList<>();
                }
                case "blend" -> blend = new double[] {Double.parseDouble(t[1]), Double.parseDouble(t[2]),
                        Double.parseDouble(t[3])};
                case "threshold" -> threshold = Double.parseDouble(t[1]);
                case "gapweight" -> gapWeight = Double.parseDouble(t[1]);
                case "gaps" -> gaps = ModelResources.numbers(t, 1);
                case "count" -> {
                    if (!"trees".equals(t[1]) || t.length != 4 || !"keep".equals(t[2])) {
                        throw new IllegalArgumentException("sequence model count line must be 'count trees keep P'");
                    }
                    keep = Double.parseDouble(t[3]);
                }
                default -> throw new IllegalArgumentException("bad sequence model line: " + t[0]);
            }
        }
        if (!featuresOk || mean == null || std == null || networks.isEmpty() || inW != null || !blocks.isEmpty()) {
            throw new IllegalArgumentException("sequence model needs features, mean, std and networks (input, blocks, head)");
        }
        return new SequenceModel(mean, std, networks, blend, threshold, gaps, gapWeight, keep);
    }

    /** The network shipped in the jar ({@link #RESOURCE}); read once (the model is immutable, its text 0.7 MB). */
    public static SequenceModel bundled() {
        return Bundled.MODEL;
    }

    private static final class Bundled {
        static final SequenceModel MODEL = parse(ModelResources.text("sequence model", RESOURCE));
    }

    private static Network network(float[][] inW, float[] inB, List<Block> blocks, float[] headW, float headB) {
        if (inW == null || headW.length != inW.length) {
            throw new IllegalArgumentException("sequence model head without an input of its width");
        }
        for (Block b : blocks) {
            if (b.w.length != inW.length) {
                throw new IllegalArgumentException("sequence model block width differs from the input's");
            }
        }
        return new Network(inW, inB, blocks, headW, headB);
    }

    private static float[] floats(String[] t, int from, int count) {
        if (t.length - from != count) {
            throw new IllegalArgumentException("sequence model line '" + t[0] + "' has " + (t.length - from)
                    + " values, expected " + count);
        }
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = Float.parseFloat(t[from + i]);
        }
        return v;
    }

    /** The same network with another blend and decoding. */
    SequenceModel withDecoding(double[] blend, double threshold, double[] gapPrior, double gapWeight) {
        return new SequenceModel(mean, std, networks, blend, threshold, gapPrior.clone(), gapWeight, keepTreesP);
    }

    /** The same network, decoded with the trees' count of starts, keeping theirs of at least {@code keep} (NaN: off). */
    SequenceModel withTreesCount(double keep) {
        return new SequenceModel(mean, std, networks, new double[] {blendTrees, blendNet, blendBias}, threshold,
                gapPrior, gapWeight, keep);
    }

    /** The decode lines of the text form (blend, threshold, gap prior). */
    public String decodingText() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "blend %.3f %.3f %.3f%n", blendTrees, blendNet, blendBias));
        b.append(String.format(Locale.ROOT, "threshold %.4f%n", threshold));
        b.append(String.format(Locale.ROOT, "gapweight %.3f%n", gapWeight));
        if (gapPrior.length > 0) {
            b.append("gaps");
            for (double v : gapPrior) {
                b.append(String.format(Locale.ROOT, " %.2f", v));
            }
            b.append('\n');
        }
        if (!Double.isNaN(keepTreesP)) {
            b.append(String.format(Locale.ROOT, "count trees keep %.2f%n", keepTreesP));
        }
        return b.toString();
    }

    /** The networks' mean section-start logit per beat. */
    double[] logits(float[][] x) {
        int n = x.length;
        int d = mean.length;
        float[][] z = new float[n][d];
        for (int t = 0; t < n; t++) {
            for (int i = 0; i < d; i++) {
                z[t][i] = Math.max(-10f, Math.min(10f, (x[t][i] - mean[i]) / std[i]));
            }
        }
        double[] out = new double[n];
        for (Network net : networks) {
            double[] l = logits(net, z);
            for (int t = 0; t < n; t++) {
                out[t] += l[t] / networks.size();
            }
        }
        return out;
    }

    private static double[] logits(Network net, float[][] z) {
        int n = z.length;
        int d = z.length == 0 ? 0 : z[0].length;
        float[][] inW = net.inW;
        float[] inB = net.inB;
        int c = inW.length;
        float[][] h = new float[n][c];
        for (int t = 0; t < n; t++) {
            float[] zt = z[t];
            for (int o = 0; o < c; o++) {
                float s = inB[o];
                float[] w = inW[o];
                for (int i = 0; i < d; i++) {
                    s += w[i] * zt[i];
                }
                h[t][o] = Math.max(0f, s);
            }
        }
        float[][] next = new float[n][c];
        for (Block blk : net.blocks) {
            int dil = blk.dilation;
            for (int t = 0; t < n; t++) {
                for (int o = 0; o < c; o++) {
                    float s = blk.b[o];
                    float[][] wo = blk.w[o];
                    for (int j = 0; j < 3; j++) {
                        int src = t + (j - 1) * dil;
                        if (src < 0 || src >= n) {
                            continue;
                        }
                        float[] hs = h[src];
                        for (int i = 0; i < c; i++) {
                            s += wo[i][j] * hs[i];
                        }
                    }
                    next[t][o] = h[t][o] + Math.max(0f, s);
                }
            }
            float[][] swap = h;
            h = next;
            next = swap;
        }
        double[] out = new double[n];
        for (int t = 0; t < n; t++) {
            double s = net.headB;
            for (int i = 0; i < c; i++) {
                s += net.headW[i] * h[t][i];
            }
            out[t] = s;
        }
        return out;
    }

    /** Section-start probability per beat: the network's logit blended with the trees'. */
    double[] probabilities(double[] treesP, float[][] x) {
        return blend(treesP, logits(x), blendTrees, blendNet, blendBias);
    }

    static double[] blend(double[] treesP, double[] netLogit, double a, double b, double c) {
        double[] p = new double[treesP.length];
        for (int u = 0; u < p.length; u++) {
            double q = Math.min(1 - 1e-9, Math.max(1e-9, treesP[u]));
            p[u] = BoundaryModel.sigmoid(a * Math.log(q / (1 - q)) + b * netLogit[u] + c);
        }
        return p;
    }

    /** Section starts from {@link #probabilities}: the trees' decoder with this model's threshold and prior. */
    List<Integer> pick(BoundaryModel trees, double[] p, double[] unitSec, double minSec, double durationSec) {
        return decoder(trees).pick(p, unitSec, minSec, durationSec);
    }

    /** The trees' dynamic programme with this model's threshold and gap prior. */
    private BoundaryModel decoder(BoundaryModel trees) {
        return trees.withThreshold(threshold).withGaps(gapPrior, gapWeight);
    }

    /**
     * Section starts of a song. With a {@code count trees} line: the trees choose how many sections
     * there are and keep the starts they are sure of (their cues — a clear change of sound, a
     * repetition starting — hold on any music); the network, which hears 63 beats either side, places
     * the others, among the phrase starts the trees weigh alike (trained on POP909 arrangements, it
     * alone adds starts inside real recordings' parts). Without that line, the network's own choice.
     */
    List<Integer> sectionStarts(BoundaryModel trees, double[] treesP, double[] p, double[] unitSec, double minSec,
                                double durationSec) {
        if (Double.isNaN(keepTreesP)) {
            return pick(trees, p, unitSec, minSec, durationSec);
        }
        List<Integer> treeStarts = trees.pick(treesP, unitSec, minSec, durationSec);
        double[] placed = p.clone();
        for (int u : treeStarts) {
            if (treesP[u] >= keepTreesP) {
                placed[u] = Math.max(placed[u], KEPT_P);
            }
        }
        BoundaryModel decoder = decoder(trees);
        List<Integer> starts = decoder.pickCount(placed, unitSec, minSec, durationSec, treeStarts.size(), true);
        return starts != null ? starts : decoder.pick(p, unitSec, minSec, durationSec);
    }

    /** The probability a kept start of the trees is given: far above anything the network's decoding weighs against it. */
    static final double KEPT_P = 0.9999;

    /** Weights of one network (every network of the ensemble has as many). */
    public int weights() {
        Network net = networks.get(0);
        int w = net.inW.length * (net.inW[0].length + 1) + net.headW.length + 1;
        for (Block b : net.blocks) {
            w += b.w.length * b.w.length * 3 + b.b.length;
        }
        return w;
    }

    /** Networks in the ensemble. */
    public int networks() {
        return networks.size();
    }
}
