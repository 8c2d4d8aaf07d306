package com.vibecraft.pipeline.analysis.detector;

import java.util.Locale;
import java.util.Random;

/** Text forms of small sequence networks for tests (the format {@link SequenceModel#parse} reads). */
public final class SequenceModelTexts {

    private SequenceModelTexts() {
    }

    /** The detector's input width. */
    public static int inputs() {
        return SequenceFeatures.NAMES.size();
    }

    /**
     * A network of c channels and the given dilations; weights from the generator, or, with
     * {@code inW}/{@code blockW}/{@code head} given, exactly those (row-major, PyTorch order).
     */
    public static String text(int c, int[] dilations, double[] inW, double[][] blockW, double[] head) {
        int d = inputs();
        StringBuilder b = new StringBuilder("# test network\nfeatures ").append(String.join(" ", SequenceFeatures.NAMES));
        b.append("\nmean").append(" 0".repeat(d)).append("\nstd").append(" 1".repeat(d)).append('\n');
        return b + network(c, dilations, inW, blockW, head);
    }

    /** The lines of one more network of an ensemble (input, blocks, head). */
    public static String network(int c, int[] dilations, double[] inW, double[][] blockW, double[] head) {
        int d = inputs();
        StringBuilder b = new StringBuilder();
        b.append("input ").append(c).append(' ').append(d).append(join(inW)).append('\n');
        for (int k = 0; k < dilations.length; k++) {
            b.append("block ").append(dilations[k]).append(' ').append(c).append(join(blockW[k])).append('\n');
        }
        b.append("head ").append(c).append(join(head)).append('\n');
        return b.toString();
    }

    /** A network with random weights (seeded). */
    public static String random(int c, int[] dilations, long seed) {
        Random r = new Random(seed);
        int d = inputs();
        double[][] blocks = new double[dilations.length][];
        for (int k = 0; k < blocks.length; k++) {
            blocks[k] = gauss(r, c * c * 3 + c, 0.1);
        }
        return text(c, dilations, gauss(r, c * d + c, 0.1), blocks, gauss(r, c + 1, 0.3));
    }

    private static double[] gauss(Random r, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * r.nextGaussian();
        }
        return v;
    }

    private static String join(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) {
            b.append(String.format(Locale.ROOT, " %.6g", x));
        }
        return b.toString();
    }
}
