package com.vibecraft.pipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vibecraft.pipeline.analysis.detector.BoundaryTraining;
import com.vibecraft.pipeline.analysis.detector.SequenceModel;
import com.vibecraft.pipeline.analysis.detector.SequenceTraining;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The two Java steps of training the sequence network ({@code scripts/train-sequence-model.sh} runs
 * them around the PyTorch step):
 * <ul>
 *   <li>{@code export-boundary-data <corpus-dir> <audio-dir>... --out DIR [--cv K]}: the detector's
 *       per-beat inputs of every training rendering ({@code features.f32}, little-endian float32
 *       rows), per song its units, reference starts, start and function targets, fold and the boundary
 *       trees' out-of-fold probabilities ({@code songs.jsonl}), and {@code meta.json} (feature names,
 *       the training data's sha256);</li>
 *   <li>{@code tune-sequence-model DIR --model FILE}: reads the network's out-of-fold logits
 *       ({@code DIR/net-oof.f32}, one per row) and the network ({@code FILE}), chooses the blend
 *       with the trees and the decoding, and writes them into {@code FILE}.</li>
 * </ul>
 * Songs of the validation set are refused as by {@code train-boundaries}.
 */
public final class SequenceModelTrainer {

    static final String EXPORT_USAGE = "Usage: export-boundary-data <corpus-dir> <audio-dir>... --out DIR"
            + " [--exclude INDEX_JSON]... [--cv FOLDS]\n";
    static final String TUNE_USAGE = "Usage: tune-sequence-model <export-dir> --model FILE\n";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SequenceModelTrainer() {
    }

    public static int export(String[] args, PrintStream out, PrintStream err) throws Exception {
        TrainingCorpus corpus = TrainingCorpus.parse("export-boundary-data", EXPORT_USAGE, null, args, err);
        if (corpus == null) {
            return 2;
        }
        if (corpus.out == null) {
            err.print(EXPORT_USAGE);
            return 2;
        }
        int folds = corpus.folds > 1 ? corpus.folds : 5;
        List<BoundaryTraining.Song> songs = new ArrayList<>();
        List<String[]> labels = new ArrayList<>();
        String data = corpus.read(err, (id, a, ref) -> {
            List<Double> starts = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (JsonNode sec : TrainingCorpus.sections(ref)) {
                starts.add(sec.path("start").asDouble(sec.path("startSec").asDouble()));
                names.add(sec.path("label").asText(""));
            }
            BoundaryTraining.Song s = BoundaryTraining.prepare(id, a.samples(), a.sampleRate(),
                    starts.stream().mapToDouble(Double::doubleValue).toArray(), names.toArray(String[]::new));
            if (s != null) {
                songs.add(s);
            }
        });
        if (data == null || songs.isEmpty()) {
            return 2;
        }
        err.println("boundary trees, " + folds + "-fold out-of-fold probabilities ...");
        List<double[]> trees = BoundaryTraining.outOfFold(songs, corpus.minSectionSec, folds);
        Map<String, Integer> foldOf = BoundaryTraining.foldOf(songs, folds);
        Path dir = corpus.out;
        Files.createDirectories(dir);
        long offset = 0;
        try (OutputStream f = new BufferedOutputStream(Files.newOutputStream(dir.resolve("features.f32")), 1 << 20);
             BufferedWriter jl = Files.newBufferedWriter(dir.resolve("songs.jsonl"))) {
            for (int i = 0; i < songs.size(); i++) {
                BoundaryTraining.Song s = songs.get(i);
                float[][] x = s.sequence();
                ByteBuffer buf = ByteBuffer.allocate(x.length * x[0].length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float[] row : x) {
                    for (float v : row) {
                        buf.putFloat(v);
                    }
                }
                f.write(buf.array());
                ObjectNode o = JSON.createObjectNode();
                o.put("id", s.id());
                o.put("n", x.length);
                o.put("offset", offset);
                o.put("fold", foldOf.get(s.id()));
                o.put("durationSec", s.durationSec());
                putArray(o.putArray("unitSec"), s.unitSec());
                putArray(o.putArray("reference"), s.reference());
                ArrayNode y = o.putArray("y");
                for (int v : s.targets()) {
                    y.add(v);
                }
                ArrayNode fn = o.putArray("function");
                for (int v : s.functions()) {
                    fn.add(v);
                }
                putArray(o.putArray("trees"), trees.get(i));
                jl.write(JSON.writeValueAsString(o));
                jl.newLine();
                offset += x.length;
            }
        }
        ObjectNode meta = JSON.createObjectNode();
        ArrayNode names = meta.putArray("features");
        BoundaryTraining.sequenceFeatureNames().forEach(names::add);
        meta.put("data", data.strip());
        meta.put("folds", folds);
        meta.put("rows", offset);
        meta.put("minSectionSec", corpus.minSectionSec);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("meta.json").toFile(), meta);
        out.println(songs.size() + " songs, " + offset + " beats exported to " + dir);
        return 0;
    }

    private static void putArray(ArrayNode a, double[] v) {
        for (double d : v) {
            a.add(Math.round(d * 1e5) / 1e5);
        }
    }

    public static int tune(String[] args, PrintStream out, PrintStream err) throws Exception {
        Path dir = null;
        Path model = null;
        for (int i = 0; i < args.length; i++) {
            if ("--model".equals(args[i]) && i + 1 < args.length) {
                model = Path.of(args[++i]);
            } else if (dir == null && !args[i].startsWith("--")) {
                dir = Path.of(args[i]);
            } else {
                err.print(TUNE_USAGE);
                return 2;
            }
        }
        if (dir == null || model == null || !Files.isRegularFile(dir.resolve("songs.jsonl"))
                || !Files.isRegularFile(dir.resolve("net-oof.f32")) || !Files.isRegularFile(model)) {
            err.println("tune-sequence-model needs an export folder with songs.jsonl and net-oof.f32, and the model file.");
            err.print(TUNE_USAGE);
            return 2;
        }
        JsonNode meta = JSON.readTree(dir.resolve("meta.json").toFile());
        ByteBuffer oof = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("net-oof.f32"))).order(ByteOrder.LITTLE_ENDIAN);
        List<SequenceTraining.Scored> songs = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("songs.jsonl"))) {
            JsonNode o = JSON.readTree(line);
            int n = o.get("n").asInt();
            long offset = o.get("offset").asLong();
            double[] net = new double[n];
            for (int u = 0; u < n; u++) {
                net[u] = oof.getFloat((int) ((offset + u) * 4));
            }
            int[] y = new int[n];
            for (int u = 0; u < n; u++) {
                y[u] = o.get("y").get(u).asInt();
            }
            songs.add(new SequenceTraining.Scored(o.get("id").asText(), doubles(o.get("unitSec")),
                    o.get("durationSec").asDouble(), doubles(o.get("reference")), y, doubles(o.get("trees")), net));
        }
        String text = Files.readString(model);
        SequenceModel tuned = SequenceTraining.tune(SequenceModel.parse(text), songs,
                meta.path("minSectionSec").asDouble(), out::println);
        StringBuilder kept = new StringBuilder();
        for (String line : text.split("\n")) {
            String head = line.strip().split("\\s+")[0];
            if (!List.of("blend", "threshold", "gapweight", "gaps").contains(head)) {
                kept.append(line).append('\n');
            }
        }
        Files.writeString(model, kept + tuned.decodingText());
        out.println("model written to " + model);
        return 0;
    }

    private static double[] doubles(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asDouble();
        }
        return v;
    }
}
