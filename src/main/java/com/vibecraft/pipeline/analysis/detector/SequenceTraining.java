package com.vibecraft.pipeline.analysis.detector;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The Java side of training the {@link SequenceModel}: the network itself is fitted offline by
 * {@code scripts/train_sequence_model.py} on what {@code export-boundary-data} writes; this class
 * then chooses how its logit is blended with the trees' and the decoding threshold and gap-prior
 * weight, on out-of-fold predictions (each song scored by models trained without its fold), with
 * the same criterion as {@link BoundaryTraining#train}.
 */
public final class SequenceTraining {

    /** (trees, network) weights of the blends tried; (1, 0) is the trees alone. */
    static final double[][] BLENDS = {{1, 0}, {0, 1}, {0.25, 0.75}, {0.5, 0.5}, {0.75, 0.5}, {0.5, 1}};

    private SequenceTraining() {
    }

    /** One exported song: its units, reference starts and the two out-of-fold predictions. */
    public record Scored(String id, double[] unitSec, double durationSec, double[] reference, int[] y,
                         double[] treesP, double[] netLogit) {
    }

    /** A tuned decoding and its out-of-fold hit rates. */
    public record Tuned(double[] blend, double threshold, double gapWeight, double hr05, double hr3) {
        public String summary() {
            return String.format(Locale.ROOT, "blend trees %.2f network %.2f, threshold %.2f, gap weight %.2f:"
                    + " held-out HR.5Ft %.3f HR3Ft %.3f", blend[0], blend[1], threshold, gapWeight, hr05, hr3);
        }
    }

    /**
     * Tries every blend, gap weight and threshold; reports the best of each blend to {@code log}.
     *
     * @return the network with the chosen decoding
     */
    public static SequenceModel tune(SequenceModel net, List<Scored> songs, double minSec, Consumer<String> log) {
        List<BoundaryTraining.Song> asSongs = new ArrayList<>();
        for (Scored s : songs) {
            asSongs.add(new BoundaryTraining.Song(s.id, new double[0][], s.y, s.unitSec, s.durationSec, s.reference));
        }
        double[] prior = BoundaryTraining.gapPrior(asSongs);
        BoundaryModel decoder = BoundaryModel.bundledTrees();
        Tuned best = null;
        for (double[] bl : BLENDS) {
            List<double[]> probs = new ArrayList<>();
            for (Scored s : songs) {
                probs.add(SequenceModel.blend(s.treesP, s.netLogit, bl[0], bl[1], 0));
            }
            Tuned bestHere = null;
            for (double w : BoundaryTraining.GAP_WEIGHTS) {
                for (int k = 2; k <= 90; k += 2) {
                    BoundaryModel c = decoder.withGaps(prior, w).withThreshold(0.01 * k);
                    double[] hr = BoundaryTraining.evaluate(asSongs, probs, c, minSec);
                    if (bestHere == null || BoundaryTraining.W05 * hr[0] + hr[1]
                            > BoundaryTraining.W05 * bestHere.hr05 + bestHere.hr3) {
                        bestHere = new Tuned(new double[] {bl[0], bl[1], 0}, 0.01 * k, w, hr[0], hr[1]);
                    }
                }
            }
            log.accept(bestHere.summary());
            if (best == null || BoundaryTraining.W05 * bestHere.hr05 + bestHere.hr3
                    > BoundaryTraining.W05 * best.hr05 + best.hr3) {
                best = bestHere;
            }
        }
        log.accept("chosen: " + best.summary());
        return net.withDecoding(best.blend, best.threshold, prior, best.gapWeight);
    }
}
