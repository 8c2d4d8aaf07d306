package com.vibecraft.pipeline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.vibecraft.pipeline.App;
import com.vibecraft.pipeline.analysis.SectionTypeModel;
import com.vibecraft.pipeline.analysis.detector.BoundaryModel;
import com.vibecraft.pipeline.analysis.detector.SequenceModel;
import com.vibecraft.pipeline.analysis.detector.SequenceModelTexts;
import com.vibecraft.pipeline.clips.preview.PreviewClipRenderer;
import com.vibecraft.pipeline.support.AnalysisChecks;
import com.vibecraft.pipeline.support.ChildJvm;
import com.vibecraft.pipeline.support.Http;
import com.vibecraft.pipeline.support.TestAudio;
import com.vibecraft.pipeline.support.TestEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar's command line: analyze and bench without a server, and a clear, fast failure on bad settings. */
class CommandLineTest {

    @TempDir
    Path tmp;

    @Test
    void analyzePrintsTheAnalysisJson() throws Exception {
        Path wav = TestAudio.writeWav(tmp.resolve("abab.wav"), TestAudio.abab(22050, 1), 22050);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cli.analyze(new String[] {wav.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        JsonNode analysis = Http.JSON.readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals("local", analysis.path("analysisSource").asText());
        assertEquals(60.0, analysis.path("durationSec").asDouble(), 0.05);
        assertTrue(analysis.path("sections").size() >= 4, analysis.toString());
        assertTrue(analysis.has("beatTimes") && analysis.has("bpm") && analysis.has("songId"));
        AnalysisChecks.assertDescribed(analysis);
    }

    @Test
    void moodCheckRanksTheLouderChorusAboveTheVerse() throws Exception {
        Path set = corpus(tmp.resolve("corpus"), "dev", "901");
        Path audio = Files.createDirectories(tmp.resolve("audio"));
        // A (0-15 s, 30-45 s: "verse") soft minor chords; B ("chorus") loud major chords with a kick
        TestAudio.writeWav(audio.resolve("901.wav"), TestAudio.abab(22050, 1), 22050);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = MoodCheck.run(new String[] {set.toString(), audio.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        String report = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, report);
        assertTrue(report.contains("chorus energy above verse energy in 1 of 1 songs"), report);
        assertTrue(report.contains("901 key "), report);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, MoodCheck.run(new String[] {set.toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Usage: mood-check"));
    }

    /** A corpus folder like pop909-train (index.json, refs/) with its rendered audio beside it. */
    private Path corpus(Path root, String name, String... ids) throws Exception {
        Path set = Files.createDirectories(root.resolve(name).resolve("refs"));
        StringBuilder index = new StringBuilder("{\"songs\": [");
        for (int i = 0; i < ids.length; i++) {
            index.append(i == 0 ? "" : ",").append("{\"id\": \"").append(ids[i]).append("\", \"bpm\": 120}");
            Files.writeString(set.resolve(ids[i] + ".json"), """
                    [{"start": 0, "end": 15, "label": "verse"}, {"start": 15, "end": 30, "label": "chorus"},
                     {"start": 30, "end": 45, "label": "verse"}, {"start": 45, "end": 60, "label": "chorus"}]""");
        }
        Files.writeString(set.getParent().resolve("index.json"), index.append("]}").toString());
        return set.getParent();
    }

    /** A trainer command ({@code BoundaryTrainer::run}, {@code SectionTypeTrainer::run}). */
    private interface Trainer {
        int run(String[] args, PrintStream out, PrintStream err) throws Exception;
    }

    /**
     * Two training songs (901, 902) with audio: refused while the sibling pop909-dev holds
     * {@code validationId} (nothing written), then trained with an explicit disjoint validation
     * index. Returns the model file the second run wrote.
     */
    private Path trainsOnlyOutsideValidation(Trainer trainer, String validationId, Path audio) throws Exception {
        Path root = tmp.resolve("corpus");
        Path train = corpus(root, "pop909-train", "901", "902");
        TestAudio.writeWav(audio.resolve("901.wav"), TestAudio.abab(22050, 1), 22050);
        TestAudio.writeWav(audio.resolve("902.wav"), TestAudio.abab(22050, 2), 22050);
        Path model = tmp.resolve("model.txt");

        corpus(root, "pop909-dev", validationId, "950");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = trainer.run(new String[] {train.toString(), audio.toString(), "--out", model.toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(validationId), err.toString(StandardCharsets.UTF_8));
        assertTrue(!Files.exists(model));

        Path other = corpus(tmp.resolve("elsewhere"), "val", "950");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        code = trainer.run(new String[] {train.toString(), audio.toString(), "--out", model.toString(),
                "--exclude", other.resolve("index.json").toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        assertEquals(0, code, out.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("2 songs"), out.toString(StandardCharsets.UTF_8));
        assertTrue(Files.readString(model).contains("# training data: 2 files, sha256 "));
        return model;
    }

    /** Runs bench over the audio with the given extra options; returns its output folder. */
    private Path bench(Path audio, String... options) throws Exception {
        Path outDir = tmp.resolve("est");
        List<String> args = new ArrayList<>(List.of(audio.toString(), "--out", outDir.toString()));
        args.addAll(List.of(options));
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        assertEquals(0, Cli.bench(args.toArray(String[]::new), sink, sink));
        return outDir;
    }

    @Test
    void trainBoundariesRefusesValidationSongsAndWritesALoadableModel() throws Exception {
        Path audio = Files.createDirectories(tmp.resolve("audio"));
        Path model = trainsOnlyOutsideValidation(BoundaryTrainer::run, "902", audio);
        assertTrue(BoundaryModel.parse(Files.readString(model)).trees() > 0);
        assertTrue(Files.exists(bench(audio, "--boundary-model", model.toString()).resolve("901.json")));
    }

    @Test
    void exportAndTuneOfTheSequenceModelRefuseValidationSongsAndWriteAModelBenchCanUse() throws Exception {
        Path audio = Files.createDirectories(tmp.resolve("audio"));
        Path root = tmp.resolve("corpus");
        Path train = corpus(root, "pop909-train", "901", "902");
        TestAudio.writeWav(audio.resolve("901.wav"), TestAudio.abab(22050, 1), 22050);
        TestAudio.writeWav(audio.resolve("902.wav"), TestAudio.abab(22050, 2), 22050);
        Path export = tmp.resolve("export");
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());

        corpus(root, "pop909-dev", "902", "950");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, SequenceModelTrainer.export(new String[] {train.toString(), audio.toString(), "--out",
                export.toString(), "--cv", "2"}, sink, new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("902"), err.toString(StandardCharsets.UTF_8));
        assertTrue(!Files.exists(export.resolve("songs.jsonl")));

        Path other = corpus(tmp.resolve("elsewhere"), "val", "950");
        assertEquals(0, SequenceModelTrainer.export(new String[] {train.toString(), audio.toString(), "--out",
                export.toString(), "--cv", "2", "--exclude", other.resolve("index.json").toString()}, sink, sink));
        JsonNode meta = Http.JSON.readTree(export.resolve("meta.json").toFile());
        int d = meta.get("features").size();
        assertEquals(SequenceModelTexts.inputs(), d);
        assertTrue(meta.get("data").asText().startsWith("# training data: 2 files, sha256 "));
        List<String> songs = Files.readAllLines(export.resolve("songs.jsonl"));
        assertEquals(2, songs.size());
        long rows = 0;
        for (String line : songs) {
            JsonNode song = Http.JSON.readTree(line);
            int n = song.get("n").asInt();
            assertEquals(rows, song.get("offset").asLong());
            assertEquals(n, song.get("trees").size());
            assertEquals(n, song.get("function").size());
            int starts = 0;
            for (JsonNode y : song.get("y")) {
                starts += y.asInt();
            }
            assertEquals(3, starts, "the joins at 15, 30 and 45 s are the targets");
            rows += n;
        }
        assertEquals(rows, meta.get("rows").asLong());
        assertEquals(rows * d * 4, Files.size(export.resolve("features.f32")));

        // the PyTorch step runs offline (scripts/train_sequence_model.py); a seeded network stands in
        Files.write(export.resolve("net-oof.f32"), new byte[(int) rows * 4]);
        Path model = tmp.resolve("sequence-model.txt");
        Files.writeString(model, SequenceModelTexts.random(4, new int[] {1, 2}, 1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, SequenceModelTrainer.tune(new String[] {export.toString(), "--model", model.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), sink));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("chosen: blend"), out.toString(StandardCharsets.UTF_8));
        String tuned = Files.readString(model);
        assertTrue(tuned.contains("\nthreshold ") && tuned.contains("\nblend "), tuned);
        SequenceModel.parse(tuned);
        assertTrue(Files.exists(bench(audio, "--sequence-model", model.toString()).resolve("901.json")));
    }

    @Test
    void trainSectionTypesRefusesValidationSongsAndWritesAModelBenchCanUse() throws Exception {
        Path audio = Files.createDirectories(tmp.resolve("audio"));
        Path model = trainsOnlyOutsideValidation(SectionTypeTrainer::run, "901", audio);
        SectionTypeModel.parse(Files.readString(model));
        Path est = bench(audio, "--section-types", model.toString());
        assertTrue(Files.readString(est.resolve("902.json")).contains("\"typeSoft\""));
    }

    @Test
    void benchWritesOneJsonPerSongAndPrintsTimings() throws Exception {
        Path songs = Files.createDirectories(tmp.resolve("songs"));
        TestAudio.writeWav(songs.resolve("a.wav"), TestAudio.abab(22050, 2), 22050);
        TestAudio.writeWav(songs.resolve("b.wav"), TestAudio.sine(22050, 20, 440, 0.3), 22050);
        Files.writeString(songs.resolve("notes.txt"), "ignored");
        Path outDir = tmp.resolve("out");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Cli.bench(new String[] {songs.toString(), "--out", outDir.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        assertEquals(0, code);
        String report = out.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains("a.wav") && report.contains("b.wav") && report.contains("TOTAL (2 files)"), report);
        assertTrue(Files.exists(outDir.resolve("a.json")) && Files.exists(outDir.resolve("b.json")));
        assertTrue(Http.JSON.readTree(outDir.resolve("a.json").toFile()).path("sections").size() >= 4);
        AnalysisChecks.assertDescribed(Http.JSON.readTree(outDir.resolve("a.json").toFile()));
    }

    @Test
    void usageErrorsExitWithTwo() throws Exception {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        assertEquals(2, Cli.analyze(new String[] {}, sink, sink));
        assertEquals(2, Cli.analyze(new String[] {tmp.resolve("missing.wav").toString()}, sink, sink));
        assertEquals(2, Cli.bench(new String[] {tmp.resolve("nowhere").toString()}, sink, sink));
    }

    @Test
    void badDatabaseUrlStopsStartupWithAClearMessage() throws Exception {
        Result r = runService(Map.of("DATABASE_URL", "mysql://somewhere/db"));
        assertEquals(1, r.code, r.output);
        assertTrue(r.output.contains("DATABASE_URL must be a JDBC URL"), r.output);
    }

    @Test
    void unreachableDatabaseStopsStartupInsteadOfHanging() throws Exception {
        // the service gives a silent database 10 s at start-up; 2 s here, set as an operator would
        Result r = runService(Map.of("DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + TestEnvironment.freePort() + "/none",
                "VIBECRAFT_DATABASE_START_TIMEOUT_MS", "2000"));
        assertEquals(1, r.code, r.output);
        assertTrue(r.output.contains("Cannot connect to the database"), r.output);
    }

    @Test
    void badRedisUrlStopsStartupWithAClearMessage() throws Exception {
        Result r = runService(Map.of("REDIS_URL", "http://not-redis"));
        assertEquals(1, r.code, r.output);
        assertTrue(r.output.contains("REDIS_URL must look like redis://host:6379"), r.output);
    }

    @Test
    void badPortStopsStartupWithAClearMessage() throws Exception {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("VIBECRAFT_DATA_DIR", tmp.resolve("data").toString());
        env.put("VIBECRAFT_PORT", "abc");
        Result r = run(List.of(), env);
        assertEquals(1, r.code, r.output);
        assertTrue(r.output.contains("VIBECRAFT_PORT) must be a port number"), r.output);
    }

    @Test
    void helpListsTheCommands() throws Exception {
        Result r = run(List.of("--help"), Map.of());
        assertEquals(0, r.code);
        assertTrue(r.output.contains("analyze <audio-file>") && r.output.contains("bench <dir>"), r.output);
        assertTrue(r.output.contains("compose <clips-dir-or-song-json> <audio> --out video.mp4")
                && r.output.contains("compose-bench"), r.output);
    }

    /** Three preview clips (the project's own 320x180, 8 fps MP4s) of a 6 s song, 2 s each. */
    private List<Path> previewClips(Path dir, float[] song) throws Exception {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            files.add(new PreviewClipRenderer().render(song, 22050, 2 * i, 2 * i + 2, 8, 16, "clip " + i,
                    dir.resolve("clip-" + i + ".mp4")).file());
        }
        return files;
    }

    @Test
    void composeTakesTheSongsClipsJson() throws Exception {
        float[] song = TestAudio.sine(22050, 6, 440, 0.5);
        Path wav = TestAudio.writeWav(tmp.resolve("song.wav"), song, 22050);
        List<Path> clips = previewClips(tmp.resolve("clips"), song);
        // the shape of GET /api/v1/songs/{id}/clips: a file beside the JSON, or a videoUrl (here a file URL)
        Files.writeString(tmp.resolve("clips").resolve("clips.json"), "["
                + "{\"id\": \"c0\", \"clipIndex\": 0, \"startSec\": 0, \"endSec\": 2, \"file\": \"clip-0.mp4\"},"
                + "{\"id\": \"c2\", \"clipIndex\": 2, \"startSec\": 4, \"endSec\": 6, \"videoUrl\": \""
                + clips.get(2).toUri() + "\"},"
                + "{\"id\": \"c1\", \"clipIndex\": 1, \"startSec\": 2, \"endSec\": 4, \"file\": \"clip-1.mp4\"}]");
        Path out = tmp.resolve("video.mp4");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = ComposeCommand.run(new String[] {tmp.resolve("clips").toString(), wav.toString(), "--out",
                out.toString(), "--size", "320x180"}, new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
        String printed = stdout.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, printed + stderr.toString(StandardCharsets.UTF_8));
        assertTrue(printed.contains("3 clips, 6.000 s (song 6.000 s), 320x180 at 24 fps, 144 frames"), printed);
        assertTrue(printed.contains("re-encoded"), printed);
        assertTrue(Files.size(out) > 0);
    }

    @Test
    void composeLaysAPlainFolderEndToEnd() throws Exception {
        float[] song = TestAudio.sine(22050, 6, 440, 0.5);
        Path wav = TestAudio.writeWav(tmp.resolve("song.wav"), song, 22050);
        previewClips(tmp.resolve("plain"), song);
        Result r = run(List.of("compose", tmp.resolve("plain").toString(), wav.toString(), "--out",
                tmp.resolve("v.mp4").toString(), "--vertical", "--fps", "8"), Map.of());
        assertEquals(0, r.code, r.output);
        assertTrue(r.output.contains("3 clips, 6.000 s (song 6.000 s), 720x1280 at 8 fps, 48 frames"), r.output);
    }

    @Test
    void composeRefusesMissingArguments() throws Exception {
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        assertEquals(2, ComposeCommand.run(new String[] {"clips"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(stderr, true, StandardCharsets.UTF_8)));
        assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("--out video.mp4"));
    }

    record Result(int code, String output) {
    }

    private Result runService(Map<String, String> env) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("VIBECRAFT_DATA_DIR", tmp.resolve("data").toString());
        all.put("VIBECRAFT_PORT", String.valueOf(TestEnvironment.freePort()));
        return run(List.of(), all);
    }

    /** The real entry point in a separate JVM, bounded in time: a hang fails the test. */
    private Result run(List<String> args, Map<String, String> env) throws Exception {
        List<String> cmd = ChildJvm.command(App.class, args.toArray(String[]::new));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("out.log").toFile()).directory(tmp.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("VIBECRAFT_") || k.startsWith("AUDJUST_")
                || k.equals("DATABASE_URL") || k.equals("REDIS_URL"));
        pb.environment().putAll(env);
        Process p = pb.start();
        boolean done = p.waitFor(90, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String output = Files.readString(tmp.resolve("out.log"));
        assertTrue(done, "the process did not exit within 90 s:\n" + output);
        return new Result(p.exitValue(), output);
    }

}
