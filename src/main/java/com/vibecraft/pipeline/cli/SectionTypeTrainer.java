package com.vibecraft.pipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.vibecraft.pipeline.analysis.DetectorResult;
import com.vibecraft.pipeline.analysis.LocalStructureDetector;
import com.vibecraft.pipeline.analysis.RawSegment;
import com.vibecraft.pipeline.analysis.SectionTypeModel;
import com.vibecraft.pipeline.analysis.SegmentEnergy;
import com.vibecraft.pipeline.audio.DecodedAudio;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code train-section-types <train-set-dir> <audio-dir> [<audio-dir>...] [--out FILE]
 * [--exclude INDEX_JSON]... [--cv FOLDS]}: runs the local detector on every song of an annotated
 * corpus folder (in each audio folder that has it: several renderings of a song), labels each
 * detected segment with the reference type that overlaps it most, and fits the
 * {@link SectionTypeModel} (default output: the resource the jar ships). Validation songs are
 * refused as by {@code train-boundaries}.
 */
public final class SectionTypeTrainer {

    static final Path DEFAULT_OUT =
            Path.of("src/main/resources/com/vibecraft/pipeline/analysis/section-type-model.txt");
    static final String USAGE = "Usage: train-section-types <train-set-dir> <audio-dir> [<audio-dir>...] [--out FILE]"
            + " [--exclude INDEX_JSON]... [--min-section-sec S] [--cv FOLDS]\n";

    private SectionTypeTrainer() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        TrainingCorpus corpus = TrainingCorpus.parse("train-section-types", USAGE, DEFAULT_OUT, args, err);
        if (corpus == null) {
            return 2;
        }
        LocalStructureDetector detector = new LocalStructureDetector(corpus.minSectionSec);
        List<SectionTypeModel.Example> songs = new ArrayList<>();
        List<String> songIds = new ArrayList<>();
        String data = corpus.read(err, (id, a, ref) -> {
            SectionTypeModel.Example e = example(a, detector.detect(a), reference(ref));
            if (e != null) {
                songs.add(e);
                songIds.add(id);
            }
        });
        if (data == null || songs.isEmpty()) {
            return 2;
        }
        int folds = corpus.folds;
        if (folds > 1) {
            double acc = 0;
            double free = 0;
            double total = 0;
            for (int f = 0; f < folds; f++) {
                List<SectionTypeModel.Example> train = new ArrayList<>();
                List<SectionTypeModel.Example> test = new ArrayList<>();
                for (int i = 0; i < songs.size(); i++) {
                    // every rendering of a song in one fold
                    (foldOf(songIds, i, folds) == f ? test : train).add(songs.get(i));
                }
                SectionTypeModel m = SectionTypeModel.fit(train);
                double[] r = accuracy(m, test);
                acc += r[0];
                free += r[2];
                total += r[1];
            }
            out.printf(Locale.ROOT, "%d-fold cross-validation (by song): held-out time share typed right %.3f"
                    + " (%.3f with every segment named on its own)%n", folds, acc / total, free / total);
        }
        SectionTypeModel model = SectionTypeModel.fit(songs);
        double[] self = accuracy(model, songs);
        corpus.write("# vibecraft section type model: multinomial logistic regression over segment features,"
                + " Viterbi with learned transitions\n# trained by: train-section-types " + corpus.set + " ("
                + songs.size() + " songs, time share typed right on them "
                // each segment named on its own, as when the shipped file was trained: the same file again
                + String.format(Locale.ROOT, "%.3f", self[2] / self[1]) + ")\n" + data + model.toText());
        out.printf(Locale.ROOT, "%d songs, time share typed right on them %.3f (%.3f with every segment named on its own)%n",
                songs.size(), self[0] / self[1], self[2] / self[1]);
        out.println("model written to " + corpus.out);
        return 0;
    }

    private static int foldOf(List<String> songIds, int i, int folds) {
        return Math.floorMod(songIds.get(i).hashCode(), folds);
    }

    /**
     * [seconds typed right, seconds, seconds typed right with every segment named on its own] of
     * the songs; the first decoded as in the service (one name per repeated material).
     */
    static double[] accuracy(SectionTypeModel m, List<SectionTypeModel.Example> songs) {
        double right = 0;
        double rightFree = 0;
        double total = 0;
        for (SectionTypeModel.Example e : songs) {
            int[] t = m.typeRows(e.x(), e.material()).types();
            int[] f = m.typeRows(e.x()).types();
            for (int i = 0; i < t.length; i++) {
                total += e.weight()[i];
                right += t[i] == e.y()[i] ? e.weight()[i] : 0;
                rightFree += f[i] == e.y()[i] ? e.weight()[i] : 0;
            }
        }
        return new double[] {right, total, rightFree};
    }

    record RefSection(double start, double end, int type) {
    }

    /** Detected segments (materials numbered by first appearance) with the reference type overlapping most. */
    static SectionTypeModel.Example example(DecodedAudio a, DetectorResult r, List<RefSection> ref) {
        List<RawSegment> segs = r.segments();
        int k = segs.size();
        if (k == 0 || ref.isEmpty()) {
            return null;
        }
        double[] energy = SegmentEnergy.meanRms(a.samples(), a.sampleRate(), segs);
        double[] st = new double[k];
        double[] en = new double[k];
        int[] cl = new int[k];
        int[] y = new int[k];
        double[] w = new double[k];
        Map<Integer, Integer> material = new HashMap<>();
        for (int i = 0; i < k; i++) {
            RawSegment s = segs.get(i);
            st[i] = s.startMs() / 1000.0;
            en[i] = s.endMs() / 1000.0;
            cl[i] = material.computeIfAbsent(s.label(), l -> material.size());
            w[i] = Math.max(0, en[i] - st[i]);
            double best = -1;
            for (RefSection rs : ref) {
                double ov = Math.min(en[i], rs.end()) - Math.max(st[i], rs.start());
                if (ov > best) {
                    best = ov;
                    y[i] = rs.type();
                }
            }
        }
        if (en[k - 1] <= 0) {
            return null;
        }
        return new SectionTypeModel.Example(SectionTypeModel.features(st, en, cl, energy), y, w, cl);
    }

    static List<RefSection> reference(Path ref) throws IOException {
        List<RefSection> out = new ArrayList<>();
        for (JsonNode sec : TrainingCorpus.sections(ref)) {
            int t = SectionTypeModel.TYPES.indexOf(sec.path("label").asText());
            if (t >= 0) {
                out.add(new RefSection(sec.path("start").asDouble(), sec.path("end").asDouble(), t));
            }
        }
        return out;
    }
}
