package com.vibecraft.pipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vibecraft.pipeline.analysis.LocalStructureDetector;
import com.vibecraft.pipeline.analysis.detector.BoundaryTraining;
import com.vibecraft.pipeline.audio.AudioDecoder;
import com.vibecraft.pipeline.audio.DecodedAudio;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code train-boundaries <train-set-dir> <audio-dir> [<audio-dir>...] [--out FILE] [--exclude INDEX_JSON]...}:
 * trains the detector's boundary model on an annotated corpus folder (index.json with
 * songs[].id, refs/NNN.json with sections) whose songs are rendered as NNN.wav/mp3/flac/ogg in the
 * audio folders (each folder one rendering: piano, band arrangements, codecs), and writes the model text (default: the resource the jar ships,
 * src/main/resources/com/vibecraft/pipeline/analysis/detector/boundary-model.txt).
 *
 * <p>Songs of the validation set must never be trained on: the ids of every {@code --exclude}
 * index (by default the sibling {@code pop909-dev/index.json}, when present) are refused.
 */
public final class BoundaryTrainer {

    static final Path DEFAULT_OUT =
            Path.of("src/main/resources/com/vibecraft/pipeline/analysis/detector/boundary-model.txt");
    static final String USAGE = "Usage: train-boundaries <train-set-dir> <audio-dir> [<audio-dir>...] [--out FILE]"
            + " [--exclude INDEX_JSON]... [--min-section-sec S] [--cv FOLDS]\n";

    private static final ObjectMapper JSON = new ObjectMapper();

    private BoundaryTrainer() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Path set = null;
        List<Path> audioDirs = new ArrayList<>();
        Path target = DEFAULT_OUT;
        List<Path> excludes = new ArrayList<>();
        double minSec = LocalStructureDetector.DEFAULT_MIN_SECTION_SEC;
        int folds = 0;
        for (int i = 0; i < args.length; i++) {
            if ("--out".equals(args[i]) && i + 1 < args.length) {
                target = Path.of(args[++i]);
            } else if ("--exclude".equals(args[i]) && i + 1 < args.length) {
                excludes.add(Path.of(args[++i]));
            } else if ("--cv".equals(args[i]) && i + 1 < args.length) {
                folds = Integer.parseInt(args[++i]);
            } else if ("--min-section-sec".equals(args[i]) && i + 1 < args.length) {
                minSec = Double.parseDouble(args[++i]);
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
            err.println("train-boundaries needs a corpus folder (with index.json and refs/) and a folder of its audio.");
            err.print(USAGE);
            return 2;
        }
        Set<String> ids = trainableIds(set, excludes, err);
        if (ids == null) {
            return 2;
        }
        AudioDecoder decoder = Cli.Analysis.decoderFromSettings();
        List<BoundaryTraining.Song> songs = new ArrayList<>();
        int missing = 0;
        int k = 0;
        TrainingData data = new TrainingData();
        for (String id : ids) {
            k++;
            Path ref = set.resolve("refs").resolve(id + ".json");
            for (Path audio : audioDirs) {
                // each folder may hold another rendering of the song (instruments, codec)
                Path file = find(audio, id);
                if (file == null || !Files.isRegularFile(ref)) {
                    missing++;
                    continue;
                }
                err.printf(Locale.ROOT, "\r[%d/%d] %s ...", k, ids.size(), id);
                DecodedAudio a = decoder.decode(file, Cli.CLI_MAX_DURATION_SEC);
                data.add(id, file);
                BoundaryTraining.Song s = BoundaryTraining.prepare(id, a.samples(), a.sampleRate(), starts(ref));
                if (s != null) {
                    songs.add(s);
                }
            }
        }
        err.print("\r");
        if (songs.isEmpty()) {
            err.println("No song of " + set + " has audio in " + audioDirs);
            return 2;
        }
        if (missing > 0) {
            err.println(missing + " song(s) without audio or reference skipped.");
        }
        double[] base = BoundaryTraining.baseline(songs);
        out.printf(Locale.ROOT, "without the model (novelty peak picking): HR.5Ft %.3f HR3Ft %.3f%n", base[0], base[1]);
        if (folds > 1) {
            double[] cv = BoundaryTraining.crossValidate(songs, minSec, folds);
            out.printf(Locale.ROOT, "%d-fold cross-validation (by song): held-out HR.5Ft %.3f HR3Ft %.3f%n",
                    folds, cv[0], cv[1]);
        }
        BoundaryTraining.Result r = BoundaryTraining.train(songs, minSec);
        String text = "# vibecraft boundary model: gradient-boosted depth-2 trees over per-beat features\n"
                + "# trained by: train-boundaries " + set + " (" + r.summary() + ")\n" + data.line()
                + r.model().toText();
        if (target.getParent() != null) {
            Files.createDirectories(target.getParent());
        }
        Files.writeString(target, text);
        out.println(r.summary());
        out.println("model written to " + target);
        return 0;
    }

    /**
     * The song ids of a training folder, or null (after saying why) when one belongs to a
     * validation set: the given excludes, or by default the sibling pop909-dev.
     */
    static Set<String> trainableIds(Path set, List<Path> excludes, PrintStream err) throws IOException {
        List<Path> ex = new ArrayList<>(excludes);
        if (ex.isEmpty()) {
            Path dev = set.toAbsolutePath().normalize().resolveSibling("pop909-dev").resolve("index.json");
            if (Files.isRegularFile(dev)) {
                ex.add(dev);
            }
        }
        Set<String> ids = ids(set.resolve("index.json"));
        Set<String> forbidden = new TreeSet<>();
        for (Path e : ex) {
            Set<String> exIds = ids(e);
            for (String id : ids) {
                if (exIds.contains(id)) {
                    forbidden.add(id);
                }
            }
        }
        if (!forbidden.isEmpty()) {
            err.println("Refusing to train: " + forbidden.size() + " song(s) of " + set
                    + " belong to an excluded (validation) set: " + String.join(" ", forbidden));
            return null;
        }
        return ids;
    }

    private static Set<String> ids(Path index) throws IOException {
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode song : JSON.readTree(index.toFile()).path("songs")) {
            if (song.hasNonNull("id")) {
                out.add(song.get("id").asText());
            }
        }
        return out;
    }

    static Path find(Path dir, String id) {
        for (String ext : new String[] {".wav", ".mp3", ".flac", ".ogg"}) {
            Path p = dir.resolve(id + ext);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /** Section start times of a reference file ([{"start","end","label"}]). */
    private static double[] starts(Path ref) throws IOException {
        JsonNode root = JSON.readTree(ref.toFile());
        JsonNode list = root.isArray() ? root : root.path("sections");
        List<Double> s = new ArrayList<>();
        for (JsonNode sec : list) {
            s.add(sec.path("start").asDouble(sec.path("startSec").asDouble()));
        }
        return s.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
