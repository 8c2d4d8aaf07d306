package com.vibecraft.pipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.vibecraft.pipeline.analysis.detector.BoundaryTraining;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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

    private BoundaryTrainer() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        TrainingCorpus corpus = TrainingCorpus.parse("train-boundaries", USAGE, DEFAULT_OUT, args, err);
        if (corpus == null) {
            return 2;
        }
        List<BoundaryTraining.Song> songs = new ArrayList<>();
        String data = corpus.read(err, (id, a, ref) -> {
            BoundaryTraining.Song s = BoundaryTraining.prepare(id, a.samples(), a.sampleRate(), starts(ref));
            if (s != null) {
                songs.add(s);
            }
        });
        if (data == null || songs.isEmpty()) {
            return 2;
        }
        double minSec = corpus.minSectionSec;
        double[] base = BoundaryTraining.baseline(songs);
        out.printf(Locale.ROOT, "without the model (novelty peak picking): HR.5Ft %.3f HR3Ft %.3f%n", base[0], base[1]);
        if (corpus.folds > 1) {
            double[] cv = BoundaryTraining.crossValidate(songs, minSec, corpus.folds);
            out.printf(Locale.ROOT, "%d-fold cross-validation (by song): held-out HR.5Ft %.3f HR3Ft %.3f%n",
                    corpus.folds, cv[0], cv[1]);
        }
        BoundaryTraining.Result r = BoundaryTraining.train(songs, minSec);
        corpus.write("# vibecraft boundary model: gradient-boosted depth-2 trees over per-beat features\n"
                + "# trained by: train-boundaries " + corpus.set + " (" + r.summary() + ")\n" + data
                + r.model().toText());
        out.println(r.summary());
        out.println("model written to " + corpus.out);
        return 0;
    }

    /** Section start times of a reference file ([{"start","end","label"}]). */
    private static double[] starts(Path ref) throws IOException {
        List<Double> s = new ArrayList<>();
        for (JsonNode sec : TrainingCorpus.sections(ref)) {
            s.add(sec.path("start").asDouble(sec.path("startSec").asDouble()));
        }
        return s.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
