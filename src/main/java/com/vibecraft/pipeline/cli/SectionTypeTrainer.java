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
import java.util.Arrays;
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
        List<SectionTypeModel.Example> trimmed = new ArrayList<>();
        List<String> songIds = new ArrayList<>();
        List<String> trimmedIds = new ArrayList<>();
        String data = corpus.read(err, (id, a, ref) -> {
            SongSegments s = segments(a, detector.detect(a), reference(ref));
            if (s != null) {
                songs.add(s.example());
                songIds.add(id);
                // held out only: how the names fare on a song unlike the training's, one that opens on its verse
                SongSegments t = s.withoutIntroAndOutro();
                if (t != null) {
                    trimmed.add(t.example());
                    trimmedIds.add(id);
                }
            }
        });
        if (data == null || songs.isEmpty()) {
            return 2;
        }
        int folds = corpus.folds;
        if (folds > 1) {
            double[] whole = new double[3];
            double[] cut = new double[3];
            for (int f = 0; f < folds; f++) {
                List<SectionTypeModel.Example> train = new ArrayList<>();
                List<SectionTypeModel.Example> test = new ArrayList<>();
                List<SectionTypeModel.Example> testTrimmed = new ArrayList<>();
                for (int i = 0; i < songs.size(); i++) {
                    // every rendering of a song in one fold
                    (foldOf(songIds, i, folds) == f ? test : train).add(songs.get(i));
                }
                for (int i = 0; i < trimmed.size(); i++) {
                    if (foldOf(trimmedIds, i, folds) == f) {
                        testTrimmed.add(trimmed.get(i));
                    }
                }
                SectionTypeModel m = SectionTypeModel.fit(train);
                add(whole, accuracy(m, test));
                add(cut, accuracy(m, testTrimmed));
            }
            out.printf(Locale.ROOT, "%d-fold cross-validation (by song): held-out time share typed right %.3f"
                    + " (%.3f with every segment named on its own); the same songs without intro and outro %.3f (%.3f)%n",
                    folds, whole[0] / whole[1], whole[2] / whole[1], cut[0] / cut[1], cut[2] / cut[1]);
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

    private static void add(double[] sum, double[] r) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += r[i];
        }
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

    /**
     * A song's detected segments (materials numbered by first appearance), their mean RMS and the
     * reference type overlapping each most.
     */
    record SongSegments(double[] start, double[] end, int[] material, double[] energy, int[] type) {

        SectionTypeModel.Example example() {
            double[] w = new double[start.length];
            for (int i = 0; i < w.length; i++) {
                w[i] = Math.max(0, end[i] - start[i]);
            }
            return new SectionTypeModel.Example(SectionTypeModel.features(start, end, material, energy), type, w,
                    material);
        }

        /**
         * The same song as if it began on its first part after the intro and stopped where its outro
         * begins (a song that opens straight on its verse), or null when it has no intro or outro
         * segment or fewer than two segments would be left.
         */
        SongSegments withoutIntroAndOutro() {
            int from = 0;
            int to = start.length;
            while (from < to && type[from] == SectionTypeModel.INTRO) {
                from++;
            }
            while (to > from && type[to - 1] == SectionTypeModel.OUTRO) {
                to--;
            }
            if (to - from < 2 || (from == 0 && to == start.length)) {
                return null;
            }
            int k = to - from;
            double shift = start[from];
            double[] st = new double[k];
            double[] en = new double[k];
            int[] cl = new int[k];
            Map<Integer, Integer> renumbered = new HashMap<>();
            for (int i = 0; i < k; i++) {
                st[i] = start[from + i] - shift;
                en[i] = end[from + i] - shift;
                cl[i] = renumbered.computeIfAbsent(material[from + i], c -> renumbered.size());
            }
            return new SongSegments(st, en, cl, Arrays.copyOfRange(energy, from, to), Arrays.copyOfRange(type, from, to));
        }
    }

    /** Detected segments with the reference type overlapping most, or null without segments or reference. */
    static SongSegments segments(DecodedAudio a, DetectorResult r, List<RefSection> ref) {
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
        Map<Integer, Integer> material = new HashMap<>();
        for (int i = 0; i < k; i++) {
            RawSegment s = segs.get(i);
            st[i] = s.startMs() / 1000.0;
            en[i] = s.endMs() / 1000.0;
            cl[i] = material.computeIfAbsent(s.label(), l -> material.size());
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
        return new SongSegments(st, en, cl, energy, y);
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
