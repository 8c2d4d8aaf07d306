package com.vibecraft.pipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vibecraft.pipeline.analysis.detector.KeyDetector;
import com.vibecraft.pipeline.analysis.detector.KeyDetector.MusicalKey;
import com.vibecraft.pipeline.analysis.detector.SpectralFeatures;
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

/**
 * {@code train-key <train-set-dir> <audio-dir>... [--out FILE] [--cv FOLDS] [--ending-weight W]}: learns
 * the key profiles ({@link KeyDetector#fit}) from the songs' {@code key} in the corpus's index.json
 * (pop909-train; pop909-dev is refused as by {@code train-boundaries}) and writes them (default: the
 * resource the jar ships). {@code key-score <corpus-dir> <audio-dir>}: the MIREX weighted key score of
 * the shipped profiles on a corpus (e.g. the dev set, as WAV or MP3).
 */
public final class KeyTrainer {

    static final Path DEFAULT_OUT = Path.of("src/main/resources/com/vibecraft/pipeline/analysis/detector/key-profiles.txt");
    static final String USAGE = "Usage: train-key <train-set-dir> <audio-dir> [<audio-dir>...] [--out FILE] [--exclude INDEX_JSON]..."
            + " [--cv FOLDS] [--ending-weight W]\n       key-score <corpus-dir> <audio-dir>\n";
    /** How much the ending profile counts beside the whole song's (pop909-train, 2-fold: .25 best of 0/.25/.5/.75). */
    static final double DEFAULT_ENDING_WEIGHT = 0.25;

    private static final ObjectMapper JSON = new ObjectMapper();

    private KeyTrainer() {
    }

    public static int train(String[] args, PrintStream out, PrintStream err) throws Exception {
        double weight = DEFAULT_ENDING_WEIGHT;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if ("--ending-weight".equals(args[i]) && i + 1 < args.length) {
                weight = Double.parseDouble(args[++i]);
            } else {
                rest.add(args[i]);
            }
        }
        TrainingCorpus corpus = TrainingCorpus.parse("train-key", USAGE, DEFAULT_OUT, rest.toArray(String[]::new), err);
        if (corpus == null) {
            return 2;
        }
        Map<String, MusicalKey> keys = keys(corpus.set.resolve("index.json"));
        List<double[][]> summaries = new ArrayList<>();
        List<MusicalKey> truth = new ArrayList<>();
        String data = corpus.read(err, (id, audio, ref) -> {
            MusicalKey k = keys.get(id);
            double[][] s = k == null ? null : summary(audio);
            if (s != null) {
                summaries.add(s);
                truth.add(k);
            }
        });
        if (data == null || summaries.isEmpty()) {
            err.println("No song with a key and audio was read.");
            return 2;
        }
        if (corpus.folds > 1) {
            out.printf(Locale.ROOT, "%d-fold cross-validation (by song): held-out MIREX weighted key score %.3f (n=%d)%n",
                    corpus.folds, crossValidate(summaries, truth, weight, corpus.folds), summaries.size());
        }
        KeyDetector detector = KeyDetector.fit(summaries, truth, weight);
        corpus.write("# vibecraft key profiles: mean pitch-class profile of each mode's songs turned to C, "
                + "and of their last seconds\n# trained by: train-key " + corpus.set + " (" + summaries.size()
                + " songs)\n" + data + detector.toText());
        out.printf(Locale.ROOT, "on the training songs: MIREX weighted key score %.3f%n", score(detector, summaries, truth));
        out.println("key profiles written to " + corpus.out);
        return 0;
    }

    public static int score(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length != 2 || !Files.isRegularFile(Path.of(args[0]).resolve("index.json"))
                || !Files.isDirectory(Path.of(args[1]))) {
            err.print(USAGE);
            return 2;
        }
        Map<String, MusicalKey> keys = keys(Path.of(args[0]).resolve("index.json"));
        AudioDecoder decoder = Cli.Analysis.decoderFromSettings();
        KeyDetector detector = KeyDetector.bundled();
        double sum = 0;
        int n = 0;
        int[] kinds = new int[5];
        for (Map.Entry<String, MusicalKey> e : keys.entrySet()) {
            Path file = TrainingCorpus.find(Path.of(args[1]), e.getKey());
            if (file == null) {
                continue;
            }
            double[][] s = summary(decoder.decode(file, Cli.CLI_MAX_DURATION_SEC));
            MusicalKey est = s == null ? null : detector.detect(s);
            double v = est == null ? 0 : est.mirexScore(e.getValue());
            out.printf(Locale.ROOT, "%s reference %-9s estimate %-9s %.1f%n", e.getKey(), e.getValue().name(),
                    est == null ? "-" : est.name(), v);
            kinds[v == 1 ? 0 : v == 0.5 ? 1 : v == 0.3 ? 2 : v == 0.2 ? 3 : 4]++;
            sum += v;
            n++;
        }
        if (n == 0) {
            err.println("No song of " + args[0] + " has audio in " + args[1]);
            return 2;
        }
        out.printf(Locale.ROOT, "MIREX weighted key score %.3f (n=%d: %d right, %d fifth, %d relative, %d parallel, %d other)%n",
                sum / n, n, kinds[0], kinds[1], kinds[2], kinds[3], kinds[4]);
        return 0;
    }

    static double[][] summary(DecodedAudio audio) {
        SpectralFeatures f = SpectralFeatures.compute(audio.samples(), audio.sampleRate(), null);
        return KeyDetector.summary(f, 0, Double.MAX_VALUE);
    }

    static double crossValidate(List<double[][]> summaries, List<MusicalKey> truth, double weight, int folds) {
        double sum = 0;
        for (int fold = 0; fold < folds; fold++) {
            List<double[][]> trainS = new ArrayList<>();
            List<MusicalKey> trainK = new ArrayList<>();
            List<double[][]> heldS = new ArrayList<>();
            List<MusicalKey> heldK = new ArrayList<>();
            for (int i = 0; i < summaries.size(); i++) {
                (i % folds == fold ? heldS : trainS).add(summaries.get(i));
                (i % folds == fold ? heldK : trainK).add(truth.get(i));
            }
            sum += score(KeyDetector.fit(trainS, trainK, weight), heldS, heldK) * heldS.size();
        }
        return sum / summaries.size();
    }

    static double score(KeyDetector d, List<double[][]> summaries, List<MusicalKey> truth) {
        double sum = 0;
        for (int i = 0; i < summaries.size(); i++) {
            sum += d.detect(summaries.get(i)).mirexScore(truth.get(i));
        }
        return sum / summaries.size();
    }

    /** The songs' keys ({@code songs[].key}, e.g. "Db:min") of an index.json. */
    static Map<String, MusicalKey> keys(Path index) throws IOException {
        Map<String, MusicalKey> out = new java.util.TreeMap<>();
        for (JsonNode song : JSON.readTree(index.toFile()).path("songs")) {
            MusicalKey k = MusicalKey.parse(song.path("key").asText(null));
            if (song.hasNonNull("id") && k != null) {
                out.put(song.get("id").asText(), k);
            }
        }
        return out;
    }
}
