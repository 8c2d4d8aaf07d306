package com.vibecraft.pipeline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.vibecraft.pipeline.analysis.AnalysisAssembler;
import com.vibecraft.pipeline.analysis.DetectorResult;
import com.vibecraft.pipeline.analysis.LocalStructureDetector;
import com.vibecraft.pipeline.analysis.SectionInference;
import com.vibecraft.pipeline.analysis.SectionTypeModel;
import com.vibecraft.pipeline.analysis.SongAnalysis;
import com.vibecraft.pipeline.analysis.SongDescriber;
import com.vibecraft.pipeline.analysis.detector.BoundaryModel;
import com.vibecraft.pipeline.analysis.detector.SequenceModel;
import com.vibecraft.pipeline.audio.AudioDecoder;
import com.vibecraft.pipeline.audio.DecodedAudio;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

/** The command-line side of the jar: {@code analyze <file>} and {@code bench <dir> [--out DIR]} (and see {@link ComposeCommand}). */
public final class Cli {

    public static final String USAGE = """
            Usage: java -jar vibecraft-pipeline.jar [command]
              serve                      start the service (the default when no command is given)
              analyze <audio-file>       print the analysis JSON of one file (no server, no database)
              bench <dir> [--out DIR] [--reference INDEX_JSON] [--boundary-model on|off|FILE]
                    [--sequence-model on|off|FILE] [--section-types on|off|FILE]
                                         analyse every audio file in a folder; print timings; with
                                         --out write <name>.json per song; with --reference (a corpus
                                         index.json with songs[].id and bpm) compare each BPM;
                                         --boundary-model overrides vibecraft.detector.boundary-model,
                                         --sequence-model vibecraft.detector.sequence-model,
                                         --section-types vibecraft.detector.section-type-model
              compose <clips-dir-or-song-json> <audio> --out video.mp4 [--size 1280x720] [--fps 24] [--vertical]
                                         compose a music video: the clips (a song's clips JSON as
                                         GET /api/v1/songs/{id}/clips answers it, a folder with a
                                         clips.json, or a folder of video files laid end to end) scaled
                                         and padded into one H.264/AAC MP4 under the song's audio
              compose-bench [--seconds 240] [--clips 45] [--out DIR]
                                         benchmark composing a generated song's clips (re-encode and
                                         stream copy; the command-line ffmpeg as reference if installed)
              jmx <pid|host:port> [routes|suspend ID|resume ID|breaker-open ID|breaker-close ID]
                                         look at / operate the routes and breakers of a running service
              train-boundaries <corpus-dir> <audio-dir>... [--out FILE] [--exclude INDEX_JSON]... [--cv N]
                                         train the detector's boundary model on an annotated corpus
                                         (pop909-train); refuses songs of pop909-dev (or --exclude)
              train-section-types <corpus-dir> <audio-dir>... [--out FILE] [--exclude INDEX_JSON]... [--cv N]
                                         train the namer of local sections (intro/verse/chorus/...)
              export-boundary-data <corpus-dir> <audio-dir>... --out DIR [--exclude INDEX_JSON]... [--cv N]
                                         the sequence network's training data (scripts/train-sequence-model.sh)
              tune-sequence-model <export-dir> --model FILE
                                         choose a trained network's blend with the trees and its decoding
              train-key <corpus-dir> <audio-dir>... [--out FILE] [--exclude INDEX_JSON]... [--cv N]
                                         learn the key profiles from the songs' keys in index.json
              key-score <corpus-dir> <audio-dir>
                                         MIREX weighted key score of the shipped profiles on a corpus
              mood-check <corpus-dir> <audio-dir>
                                         do choruses get more energy than verses? key, mood, genre per song
              --help                     this text
            Settings come from application.properties and VIBECRAFT_* environment variables.
            """;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The command line analyses what it is given, up to an hour (the upload limit is for the service). */
    static final double CLI_MAX_DURATION_SEC = 3600;

    private Cli() {
    }

    /** The analysis pipeline without server or storage, configured like the service. */
    record Analysis(AudioDecoder decoder, LocalStructureDetector detector, AnalysisAssembler assembler,
                    double maxDurationSec) {

        static Analysis fromSettings() throws Exception {
            return fromSettings(null, null);
        }

        static Analysis fromSettings(String boundaryModel) throws Exception {
            return fromSettings(boundaryModel, null);
        }

        /**
         * @param boundaryModel {@code on}, {@code off}, a model file, or null for the
         *                      {@code vibecraft.detector.boundary-model} setting
         * @param sectionTypes  {@code on}, {@code off}, a model file, or null for the
         *                      {@code vibecraft.detector.section-type-model} setting
         */
        static Analysis fromSettings(String boundaryModel, String sectionTypes) throws Exception {
            return fromSettings(boundaryModel, sectionTypes, null);
        }

        /**
         * @param sequenceModel {@code on}, {@code off}, a sequence network file ({@code train-sequence-model.sh})
         *                      to place the trees' section starts, or null for the
         *                      {@code vibecraft.detector.sequence-model} setting
         */
        static Analysis fromSettings(String boundaryModel, String sectionTypes, String sequenceModel) throws Exception {
            try (CamelContext ctx = new DefaultCamelContext()) {
                ctx.getPropertiesComponent().setLocation("classpath:application.properties");
                double minSection = Double.parseDouble(ctx.resolvePropertyPlaceholders(
                        "{{vibecraft.detector.min-section-sec}}").trim());
                float maxRate = Float.parseFloat(ctx.resolvePropertyPlaceholders(
                        "{{vibecraft.analysis.max-sample-rate}}").trim());
                BoundaryModel model = choose(boundaryModel, ctx, "vibecraft.detector.boundary-model",
                        BoundaryModel::bundledTrees, BoundaryModel::parse);
                if (model != null) {
                    model = model.withSequence(choose(sequenceModel, ctx, "vibecraft.detector.sequence-model",
                            SequenceModel::bundled, SequenceModel::parse));
                }
                SectionTypeModel typeModel = choose(sectionTypes, ctx, "vibecraft.detector.section-type-model",
                        SectionTypeModel::bundled, SectionTypeModel::parse);
                return new Analysis(new AudioDecoder(maxRate), new LocalStructureDetector(minSection, model),
                        new AnalysisAssembler(new SectionInference(typeModel), SongDescriber.bundled()), CLI_MAX_DURATION_SEC);
            }
        }

        /**
         * A learned model by its switch: {@code on}/{@code true} the one in the jar, {@code off}/{@code false}
         * none, else a model file; {@code choice} null = the setting {@code key}.
         */
        private static <T> T choose(String choice, CamelContext ctx, String key, Supplier<T> bundled,
                                    Function<String, T> parse) throws IOException {
            String use = choice != null ? choice : ctx.resolvePropertyPlaceholders("{{" + key + "}}").trim();
            return switch (use.toLowerCase(Locale.ROOT)) {
                case "on", "true" -> bundled.get();
                case "off", "false" -> null;
                default -> parse.apply(Files.readString(Path.of(use)));
            };
        }

        static AudioDecoder decoderFromSettings() throws Exception {
            return fromSettings("off", "off").decoder();
        }

        SongAnalysis run(Path file) throws Exception {
            DecodedAudio audio = decoder.decode(file, maxDurationSec);
            DetectorResult r = detector.detect(audio);
            return assembler.assemble(null, audio, r.segments(), r, "local", null);
        }
    }

    public static int analyze(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length != 1) {
            err.println("analyze needs exactly one audio file.");
            err.print(USAGE);
            return 2;
        }
        Path file = Path.of(args[0]);
        if (!Files.isRegularFile(file)) {
            err.println("No such file: " + file);
            return 2;
        }
        SongAnalysis analysis = Analysis.fromSettings().run(file);
        out.println(JSON.writeValueAsString(analysis));
        return 0;
    }

    public static int bench(String[] args, PrintStream out, PrintStream err) throws Exception {
        Path dir = null;
        Path outDir = null;
        Map<String, Double> referenceBpm = Map.of();
        String boundaryModel = null;
        String sectionTypes = null;
        String sequenceModel = null;
        for (int i = 0; i < args.length; i++) {
            if ("--out".equals(args[i]) && i + 1 < args.length) {
                outDir = Path.of(args[++i]);
            } else if ("--sequence-model".equals(args[i]) && i + 1 < args.length) {
                sequenceModel = args[++i];
            } else if ("--boundary-model".equals(args[i]) && i + 1 < args.length) {
                boundaryModel = args[++i];
            } else if ("--section-types".equals(args[i]) && i + 1 < args.length) {
                sectionTypes = args[++i];
            } else if ("--reference".equals(args[i]) && i + 1 < args.length) {
                referenceBpm = BpmCheck.readReference(Path.of(args[++i]));
            } else if (dir == null && !args[i].startsWith("--")) {
                dir = Path.of(args[i]);
            } else {
                err.println("Unexpected argument: " + args[i]);
                err.print(USAGE);
                return 2;
            }
        }
        if (dir == null || !Files.isDirectory(dir)) {
            err.println("bench needs a folder of audio files.");
            err.print(USAGE);
            return 2;
        }
        if (outDir != null) {
            Files.createDirectories(outDir);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)
                            .matches(".*\\.(wav|mp3|flac|ogg)$"))
                    .sorted().toList();
        }
        if (files.isEmpty()) {
            err.println("No .wav, .mp3, .flac or .ogg files in " + dir);
            return 2;
        }
        Analysis analysis = Analysis.fromSettings(boundaryModel, sectionTypes, sequenceModel);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double totalAudio = 0;
        double totalCpu = 0;
        long peakHeap = 0;
        int failures = 0;
        BpmCheck bpm = new BpmCheck(referenceBpm);
        out.printf(Locale.ROOT, "%-28s %10s %9s %10s %10s %8s%n", "file", "audio s", "cpu s", "x realtime", "peak MB",
                "bpm");
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            err.printf(Locale.ROOT, "\r[%d/%d] %s ...", i + 1, files.size(), f.getFileName());
            resetPeaks();
            long cpu0 = threads.getCurrentThreadCpuTime();
            try {
                SongAnalysis a = analysis.run(f);
                double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
                long peak = heapPeak();
                peakHeap = Math.max(peakHeap, peak);
                totalAudio += a.durationSec();
                totalCpu += cpu;
                err.print("\r");
                out.printf(Locale.ROOT, "%-28s %10.1f %9.3f %10.1f %10.1f %8.1f%s%n", f.getFileName(), a.durationSec(), cpu,
                        a.durationSec() / cpu, peak / 1048576.0, a.bpm(), bpm.compare(f, a.bpm()));
                if (outDir != null) {
                    String name = f.getFileName().toString().replaceFirst("\\.[^.]+$", "") + ".json";
                    Files.writeString(outDir.resolve(name), JSON.writeValueAsString(a));
                }
            } catch (Exception e) {
                failures++;
                failed.add(f.getFileName() + ": " + rootMessage(e));
                err.print("\r");
                out.printf(Locale.ROOT, "%-28s FAILED: %s%n", f.getFileName(), rootMessage(e));
            }
        }
        out.printf(Locale.ROOT, "%-28s %10.1f %9.3f %10.1f %10.1f%n", "TOTAL (" + (files.size() - failures) + " files)",
                totalAudio, totalCpu, totalCpu > 0 ? totalAudio / totalCpu : 0, peakHeap / 1048576.0);
        bpm.summary().ifPresent(out::println);
        return failures == 0 ? 0 : 1;
    }

    static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    static long heapPeak() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** The messages of an exception and its causes, outermost first, without repeats. */
    public static String rootMessage(Throwable e) {
        StringBuilder b = new StringBuilder();
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            String m = t.getMessage();
            if (m == null || m.isBlank()) {
                continue;
            }
            if (b.indexOf(m) < 0) {
                b.append(b.length() == 0 ? "" : "\n  caused by: ").append(m);
            }
        }
        return b.length() == 0 ? e.getClass().getSimpleName() : b.toString();
    }
}
