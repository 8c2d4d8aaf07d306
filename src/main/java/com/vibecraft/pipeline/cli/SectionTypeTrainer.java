package com.vibecraft.pipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vibecraft.pipeline.analysis.DetectorResult;
import com.vibecraft.pipeline.analysis.LocalStructureDetector;
import com.vibecraft.pipeline.analysis.RawSegment;
import com.vibecraft.pipeline.analysis.SectionTypeModel;
import com.vibecraft.pipeline.analysis.SegmentEnergy;
import com.vibecraft.pipeline.audio.AudioDecoder;
import com.vibecraft.pipeline.audio.DecodedAudio;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
            + " [--exclude INDEX_JSON]... [--cv FOLDS]\n";

    private static final ObjectMapper JSON = new ObjectMapper();

    private SectionTypeTrainer() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Path set = null;
        List<Path> audioDirs = new ArrayList<>();
        Path target = DEFAULT_OUT;
        List<Path> excludes = new ArrayList<>();
        int folds = 0;
        for (int i = 0; i < args.length; i++) {
            if ("--out".equals(args[i]) && i + 1 < args.length) {
                target = Path.of(args[++i]);
            } else if ("--exclude".equals(args[i]) && i + 1 < args.length) {
                excludes.add(Path.of(args[++i]));
            } else if ("--cv".equals(args[i]) && i + 1 < args.length) {
                folds = Integer.parseInt(args[++i]);
            } else if (!args[i].startsWith("--") && set == null) {
                set = Path.of(args[i]);
            } else if (!args[i].startsWith("--")) {
                audioDirs.add(Path.of(args[i]));
            } else {
                err.println("Unexpected argument: " + args[i]);
                err.print(USAGE);
                return 2;
            }
        }
        if (set == null || audioDirs.isEmpty() || !Files.isRegularFile(set.resolve("index.json"))
                || !audioDirs.stream().allMatch(Files::isDirectory)) {
            err.println("train-section-types needs a corpus folder (with index.json and refs/) and a folder of its audio.");
            err.print(USAGE);
            return 2;
        }
        Set<String> ids = BoundaryTrainer.trainableIds(set, excludes, err);
        if (ids == null) {
            return 2;
        }
        AudioDecoder decoder = Cli.Analysis.decoderFromSettings();
        LocalStructureDetector detector = new LocalStructureDetector();
        List<SectionTypeModel.Example> songs = new ArrayList<>();
        int k = 0;
        List<String> songIds = new ArrayList<>();
        TrainingData data = new TrainingData();
        for (String id : ids) {
            k++;
            Path ref = set.resolve("refs").resolve(id + ".json");
            for (Path audio : audioDirs) {
                Path file = BoundaryTrainer.find(audio, id);
                if (file == null || !Files.isRegularFile(ref)) {
                    continue;
                }
                err.printf(Locale.ROOT, "\r[%d/%d] %s ...", k, ids.size(), id);
                DecodedAudio a = decoder.decode(file, Cli.CLI_MAX_DURATION_SEC);
                data.add(id, file);
                SectionTypeModel.Example e = example(a, detector.detect(a), reference(ref));
                if (e != null) {
                    songs.add(e);
                    songIds.add(id);
                }
            }
        }
        err.print("\r");
        if (songs.isEmpty()) {
            err.println("No song of " + set + " has audio in " + audioDirs);
            return 2;
        }
        if (folds > 1) {
            double acc = 0;
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
                total += r[1];
            }
            out.printf(Locale.ROOT, "%d-fold cross-validation (by song): held-out time share typed right %.3f%n",
                    folds, acc / total);
        }
        SectionTypeModel model = SectionTypeModel.fit(songs);
        double[] self = accuracy(model, songs);
        String text = "# vibecraft section type model: multinomial logistic regression over segment features,"
                + " Viterbi with learned transitions\n# trained by: train-section-types " + set + " ("
                + songs.size() + " songs, time share typed right on them "
                + String.format(Locale.ROOT, "%.3f", self[0] / self[1]) + ")\n" + data.line() + model.toText();
        if (target.getParent() != null) {
            Files.createDirectories(target.getParent());
        }
        Files.writeString(target, text);
        out.printf(Locale.ROOT, "%d songs, time share typed right on them %.3f%n", songs.size(), self[0] / self[1]);
        out.println("model written to " + target);
        return 0;
    }

    private static int foldOf(List<String> songIds, int i, int folds) {
        return Math.floorMod(songIds.get(i).hashCode(), folds);
    }

    /** [seconds typed right, seconds] of the songs, decoded as in the service. */
    static double[] accuracy(SectionTypeModel m, List<SectionTypeModel.Example> songs) {
        double right = 0;
        double total = 0;
        for (SectionTypeModel.Example e : songs) {
            int[] t = m.typeRows(e.x()).types();
            for (int i = 0; i < t.length; i++) {
                total += e.weight()[i];
                if (t[i] == e.y()[i]) {
                    right += e.weight()[i];
                }
            }
        }
        return new double[] {right, total};
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
        return new SectionTypeModel.Example(SectionTypeModel.features(st, en, cl, energy), y, w);
    }

    static List<RefSection> reference(Path ref) throws IOException {
        JsonNode root = JSON.readTree(ref.toFile());
        JsonNode list = root.isArray() ? root : root.path("sections");
        List<RefSection> out = new ArrayList<>();
        for (JsonNode sec : list) {
            int t = SectionTypeModel.TYPES.indexOf(sec.path("label").asText());
            if (t >= 0) {
                out.add(new RefSection(sec.path("start").asDouble(), sec.path("end").asDouble(), t));
            }
        }
        return out;
    }
}
