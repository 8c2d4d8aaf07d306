package com.vibecraft.pipeline.analysis.detector;

import com.vibecraft.pipeline.analysis.LocalStructureDetector;
import com.vibecraft.pipeline.analysis.RawSegment;
import com.vibecraft.pipeline.audio.AudioKind;
import com.vibecraft.pipeline.audio.DecodedAudio;
import com.vibecraft.pipeline.support.TestAudio;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sequence network: its file format, its forward pass, the blend with the trees and the shipped model. */
class SequenceModelTest {

    private static final int D = SequenceModelTexts.inputs();

    /**
     * Two channels: channel 0 reads input 0, channel 1 input 1; one block of dilation 2 adds to
     * channel 0 its own value two beats earlier; the head sums the channels minus 1.
     */
    private static SequenceModel handMade() {
        double[] in = new double[2 * D + 2];
        in[0] = 1;          // W[0][0]
        in[D + 1] = 1;      // W[1][1]
        in[2 * D + 1] = -0.5; // bias of channel 1
        double[] block = new double[2 * 2 * 3 + 2];
        block[0] = 1;       // W[0][0][k=0]: the beat t - dilation
        return SequenceModel.parse(SequenceModelTexts.text(2, new int[] {2}, in, new double[][] {block},
                new double[] {1, 1, -1}));
    }

    @Test
    void forwardPassIsTheDilatedResidualNetworkOfTheFile() {
        float[][] x = new float[5][D];
        float[] a = {1, -2, 3, 0.5f, 2};
        float[] b = {0, 1, 2, 0.25f, 4};
        for (int t = 0; t < 5; t++) {
            x[t][0] = a[t];
            x[t][1] = b[t];
            x[t][2] = 100; // read by no channel
        }
        double[] out = handMade().logits(x);
        double[] expected = new double[5];
        for (int t = 0; t < 5; t++) {
            double h0 = Math.max(0, a[t]);
            double earlier = t >= 2 ? Math.max(0, a[t - 2]) : 0; // zero padding before the song
            double h1 = Math.max(0, b[t] - 0.5);
            expected[t] = h0 + Math.max(0, earlier) + h1 - 1;
        }
        assertArrayEquals(expected, out, 1e-6);
    }

    @Test
    void anEnsembleAveragesTheLogitsOfItsNetworks() {
        double[] in = new double[D + 1];
        in[0] = 1;
        String one = SequenceModelTexts.text(1, new int[0], in, new double[0][], new double[] {2, 0});
        String two = one + SequenceModelTexts.network(1, new int[0], in, new double[0][], new double[] {0, 1});
        float[][] x = new float[1][D];
        x[0][0] = 3;
        assertArrayEquals(new double[] {6}, SequenceModel.parse(one).logits(x), 1e-6);
        assertArrayEquals(new double[] {(6 + 1) / 2.0}, SequenceModel.parse(two).logits(x), 1e-6);
        assertEquals(2, SequenceModel.parse(two).networks());
    }

    @Test
    void inputsAreStandardisedAndClipped() {
        String text = SequenceModelTexts.text(1, new int[0], unit(D + 1, 0), new double[0][], new double[] {1, 0})
                .replaceFirst("\nmean 0", "\nmean 2").replaceFirst("\nstd 1", "\nstd 0.5");
        SequenceModel m = SequenceModel.parse(text);
        float[][] x = new float[2][D];
        x[0][0] = 3;      // (3 - 2) / 0.5 = 2
        x[1][0] = 1000;   // clipped at 10
        assertArrayEquals(new double[] {2, 10}, m.logits(x), 1e-6);
    }

    private static double[] unit(int n, int at) {
        double[] v = new double[n];
        v[at] = 1;
        return v;
    }

    @Test
    void rejectsBrokenOrMismatchedFiles() {
        String ok = SequenceModelTexts.random(4, new int[] {1, 2}, 3);
        SequenceModel.parse(ok);
        assertThrows(IllegalArgumentException.class, () -> SequenceModel.parse(ok.replace("features nov", "features novelty")));
        assertThrows(IllegalArgumentException.class, () -> SequenceModel.parse(ok.replaceFirst("block 2 4 \\S+", "block 2 4")));
        assertThrows(IllegalArgumentException.class, () -> SequenceModel.parse(ok.replaceAll("(?m)^head.*$", "")));
        assertThrows(IllegalArgumentException.class, () -> SequenceModel.parse(ok + "weird 1\n"));
    }

    @Test
    void blendWeighsTheTreesAndTheNetworkInLogOdds() {
        double[] trees = {0.1, 0.5, 0.9};
        double[] net = {3, -3, 0};
        assertArrayEquals(trees, SequenceModel.blend(trees, net, 1, 0, 0), 1e-9, "trees alone");
        double[] netOnly = SequenceModel.blend(trees, net, 0, 1, 0);
        assertEquals(BoundaryModel.sigmoid(3), netOnly[0], 1e-9);
        double[] half = SequenceModel.blend(trees, net, 0.5, 0.5, 0);
        assertEquals(BoundaryModel.sigmoid(0.5 * Math.log(0.1 / 0.9) + 1.5), half[0], 1e-9);
    }

    @Test
    void decodingLinesRoundTrip() {
        SequenceModel m = SequenceModel.parse(SequenceModelTexts.random(4, new int[] {1}, 5))
                .withDecoding(new double[] {0.5, 1, 0}, 0.3, new double[] {-1, 0.5, 2, -1}, 0.75);
        String text = SequenceModelTexts.random(4, new int[] {1}, 5) + m.decodingText();
        assertEquals(m.decodingText(), SequenceModel.parse(text).decodingText());
    }

    /** A network that says "a section starts here" exactly where its one input feature is 1. */
    private static SequenceModel following(String feature, double bias) {
        double[] in = new double[D + 1];
        in[SequenceFeatures.NAMES.indexOf(feature)] = 1;
        return SequenceModel.parse(SequenceModelTexts.text(1, new int[0], in, new double[0][], new double[] {12, bias})
                + "blend 0 1 0\nthreshold 0.5\ngapweight 0\n");
    }

    private static StructureSegmenter.Units units(float[] samples) {
        SpectralFeatures f = SpectralFeatures.compute(samples, 22050, v -> { });
        return StructureSegmenter.analyse(f, BeatTracker.track(f.onset, f.frameRate).frames(), samples.length / 22050.0);
    }

    @Test
    void sectionStartsAreTheNetworksWhenItIsBlendedIn() {
        StructureSegmenter.Units x = units(TestAudio.abab(22050, 3));
        double duration = 60;
        BoundaryModel trees = BoundaryModel.bundledTrees();
        List<Integer> classic = StructureSegmenter.classicBoundaries(x, 8.0);
        assertTrue(classic.size() >= 2, classic.toString());
        assertEquals(classic, trees.withSequence(following("classic", -6)).sectionStarts(x, 8.0, duration),
                "a network following the novelty peak picking gives its boundaries");
        assertEquals(List.of(), trees.withSequence(following("classic", -30)).sectionStarts(x, 8.0, duration),
                "a network that never says yes gives none");
        List<Integer> alone = trees.sectionStarts(x, 8.0, duration);
        assertEquals(alone, trees.pick(trees.score(BoundaryFeatures.compute(x, 8.0)), x.unitSec, 8.0, duration));
        SequenceModel treesOnly = following("classic", -30).withDecoding(new double[] {1, 0, 0}, trees.threshold(),
                trees.gapPrior(), trees.gapWeight());
        assertEquals(alone, trees.withSequence(treesOnly).sectionStarts(x, 8.0, duration),
                "blend weight 0 for the network is the trees alone");
    }

    @Test
    void theDetectorWithANetworkFindsTheTextbookChanges() {
        // A B A B of 15 s parts: every boundary heard at once, with the trees alone and blended with a network
        DecodedAudio audio = new DecodedAudio(TestAudio.abab(22050, 7), 22050, AudioKind.WAV);
        for (BoundaryModel model : List.of(BoundaryModel.bundledTrees(), BoundaryModel.bundled(),
                BoundaryModel.bundledTrees().withSequence(following("classic", -6)))) {
            List<RawSegment> s = new LocalStructureDetector(8.0, model).detect(audio).segments();
            assertEquals(4, s.size(), s.toString());
            for (int i = 1; i < 4; i++) {
                assertEquals(15_000.0 * i, s.get(i).startMs(), 500.0, s.toString());
            }
            assertEquals(s.get(0).label(), s.get(2).label());
            assertEquals(s.get(1).label(), s.get(3).label());
        }
        assertTrue(BoundaryModel.bundled().sequence() != null, "the shipped network places the trees' starts");
        assertTrue(BoundaryModel.bundled().sequence().decodingText().contains("count trees keep 0.50"),
                BoundaryModel.bundled().sequence().decodingText());
    }

    @Test
    void withTheTreesCountTheNetworkPlacesAsManyStartsAsTheTreesChoose() {
        StructureSegmenter.Units x = units(TestAudio.abab(22050, 3));
        double duration = 60;
        BoundaryModel trees = BoundaryModel.bundledTrees();
        List<Integer> alone = trees.sectionStarts(x, 8.0, duration);
        List<Integer> classic = StructureSegmenter.classicBoundaries(x, 8.0);
        // a network that hears a start at every novelty peak, none sure enough to keep by itself
        BoundaryModel counted = trees.withSequence(following("classic", -6).withTreesCount(2.0));
        List<Integer> starts = counted.sectionStarts(x, 8.0, duration);
        assertEquals(alone.size(), starts.size(), "as many starts as the trees choose: " + alone + " " + starts);
        assertTrue(classic.containsAll(starts), "placed where the network hears them: " + classic + " " + starts);
        // every start of the trees kept: the trees' starts
        assertEquals(alone, trees.withSequence(following("classic", -6).withTreesCount(0.0)).sectionStarts(x, 8.0,
                duration));
        // a network that hears nothing anywhere: its own choice (none), not a forced count
        assertEquals(List.of(), trees.withSequence(following("classic", -30).withTreesCount(2.0))
                .sectionStarts(x, 8.0, duration));
    }
}
