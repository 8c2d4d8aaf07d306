package com.vibecraft.pipeline.analysis;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The learned namer of local sections: features, training, decoding, text form. */
class SectionTypeModelTest {

    private static final int INTRO = 0;
    private static final int VERSE = 1;
    private static final int CHORUS = 2;
    private static final int OUTRO = 4;

    /**
     * A generated pop song: intro (quiet, once), then verse (medium) / chorus (loud) twice or three
     * times, an outro (once, quiet); lengths jittered. Materials: intro 0, verse 1, chorus 2, outro 3.
     */
    private static SectionTypeModel.Example song(Random r) {
        List<double[]> segs = new ArrayList<>(); // start, end, cluster, energy, type
        double t = 0;
        double len = 8 + r.nextDouble() * 8;
        segs.add(new double[] {t, t + len, 0, 0.05 + 0.02 * r.nextDouble(), INTRO});
        t += len;
        int rounds = 2 + r.nextInt(2);
        for (int k = 0; k < rounds; k++) {
            len = 15 + r.nextDouble() * 15;
            segs.add(new double[] {t, t + len, 1, 0.10 + 0.03 * r.nextDouble(), VERSE});
            t += len;
            len = 15 + r.nextDouble() * 15;
            segs.add(new double[] {t, t + len, 2, 0.20 + 0.05 * r.nextDouble(), CHORUS});
            t += len;
        }
        len = 8 + r.nextDouble() * 8;
        segs.add(new double[] {t, t + len, 3, 0.04 + 0.02 * r.nextDouble(), OUTRO});
        int k = segs.size();
        double[] st = new double[k];
        double[] en = new double[k];
        int[] cl = new int[k];
        double[] e = new double[k];
        int[] y = new int[k];
        double[] w = new double[k];
        for (int i = 0; i < k; i++) {
            double[] s = segs.get(i);
            st[i] = s[0];
            en[i] = s[1];
            cl[i] = (int) s[2];
            e[i] = s[3];
            y[i] = (int) s[4];
            w[i] = s[1] - s[0];
        }
        return new SectionTypeModel.Example(SectionTypeModel.features(st, en, cl, e), y, w);
    }

    private static List<SectionTypeModel.Example> songs(int n, long seed) {
        Random r = new Random(seed);
        List<SectionTypeModel.Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(song(r));
        }
        return out;
    }

    @Test
    void learnsPopFormFromExamplesAndNamesUnseenSongs() {
        SectionTypeModel m = SectionTypeModel.fit(songs(60, 1));
        int right = 0;
        int total = 0;
        for (SectionTypeModel.Example e : songs(20, 2)) {
            int[] t = m.typeRows(e.x()).types();
            for (int i = 0; i < t.length; i++) {
                total++;
                right += t[i] == e.y()[i] ? 1 : 0;
            }
        }
        assertTrue(right >= 0.95 * total, right + " of " + total);
    }

    @Test
    void trainingIsDeterministicAndTheTextFormRoundTrips() {
        SectionTypeModel a = SectionTypeModel.fit(songs(30, 3));
        SectionTypeModel b = SectionTypeModel.fit(songs(30, 3));
        assertEquals(a.toText(), b.toText());
        SectionTypeModel c = SectionTypeModel.parse(a.toText());
        SectionTypeModel.Example e = song(new Random(9));
        assertArrayEquals(a.typeRows(e.x()).types(), c.typeRows(e.x()).types());
        assertEquals(a.typeRows(e.x()).confidence()[0], c.typeRows(e.x()).confidence()[0], 1e-3);
    }

    @Test
    void badModelTextIsRefusedWithTheReason() {
        String text = SectionTypeModel.fit(songs(10, 4)).toText();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SectionTypeModel.parse(text.replace("features bias", "features other")));
        assertTrue(e.getMessage().contains("features differ"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SectionTypeModel.parse("mean 1 2"));
    }

    @Test
    void theShippedModelLoadsAndGivesEveryTypeAProbability() {
        SectionTypeModel m = SectionTypeModel.bundled();
        SectionTypeModel.Typing t = m.type(new double[] {0, 20, 50, 80, 110}, new double[] {20, 50, 80, 110, 125},
                new int[] {0, 1, 2, 1, 3}, new double[] {0.05, 0.1, 0.2, 0.1, 0.05});
        assertEquals(5, t.types().length);
        for (double c : t.confidence()) {
            assertTrue(c > 0 && c <= 1, "confidence " + c);
        }
        assertEquals(0, m.type(new double[0], new double[0], new int[0], new double[0]).types().length);
    }

    @Test
    void sectionInferenceUsesTheModelForLocalSegmentsOnly() {
        SectionTypeModel m = SectionTypeModel.fit(songs(60, 5));
        SectionInference withModel = new SectionInference(m);
        List<RawSegment> segs = List.of(new RawSegment(0, 12_000, 0), new RawSegment(12_000, 40_000, 100),
                new RawSegment(40_000, 65_000, 200), new RawSegment(65_000, 90_000, 100),
                new RawSegment(90_000, 115_000, 200), new RawSegment(115_000, 126_000, 300));
        double[] energy = {0.05, 0.1, 0.22, 0.11, 0.21, 0.04};
        List<Section> local = withModel.infer(segs, energy, true);
        assertEquals(List.of("intro", "verse", "chorus", "verse", "chorus", "outro"),
                local.stream().map(Section::type).toList());
        // Audjust input (and the flag off) keeps SPEC §4's rules
        assertEquals(new SectionInference().infer(segs, energy).stream().map(Section::type).toList(),
                withModel.infer(segs, energy).stream().map(Section::type).toList());
    }
}
