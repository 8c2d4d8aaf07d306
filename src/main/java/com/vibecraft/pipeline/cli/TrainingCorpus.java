package com.vibecraft.pipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vibecraft.pipeline.analysis.LocalStructureDetector;
import com.vibecraft.pipeline.audio.AudioDecoder;
import com.vibecraft.pipeline.audio.DecodedAudio;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the trainers ({@code train-boundaries}, {@code train-section-types}) take from the command
 * line — {@code <corpus-dir> <audio-dir>... [--out FILE] [--exclude INDEX_JSON]... [--cv FOLDS]
 * [--min-section-sec S]} — and how they read its songs: every id of the corpus's index.json
 * (refused when one belongs to a validation set: each {@code --exclude}, by default the sibling
 * pop909-dev), in every audio folder that has it (NNN.wav/mp3/flac/ogg: each folder one rendering
 * of the songs), decoded as the service decodes.
 */
final class TrainingCorpus {

    private static final ObjectMapper JSON = new ObjectMapper();

    final Path set;
    final List<Path> audioDirs;
    final Path out;
    final List<Path> excludes;
    final int folds;
    final double minSectionSec;

    private TrainingCorpus(Path set, List<Path> audioDirs, Path out, List<Path> excludes, int folds,
                           double minSectionSec) {
        this.set = set;
        this.audioDirs = audioDirs;
        this.out = out;
        this.excludes = excludes;
        this.folds = folds;
        this.minSectionSec = minSectionSec;
    }

    /** One rendering of one song, decoded, with its reference file. */
    interface SongReader {
        void read(String id, DecodedAudio audio, Path ref) throws Exception;
    }

    /** The parsed command line, or null after printing why and the usage. */
    static TrainingCorpus parse(String command, String usage, Path defaultOut, String[] args, PrintStream err) {
        Path set = null;
        List<Path> audioDirs = new ArrayList<>();
        Path target = defaultOut;
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
                err.print(usage);
                return null;
            }
        }
        if (set == null || audioDirs.isEmpty() || !Files.isRegularFile(set.resolve("index.json"))
                || !audioDirs.stream().allMatch(Files::isDirectory)) {
            err.println(command + " needs a corpus folder (with index.json and refs/) and a folder of its audio.");
            err.print(usage);
            return null;
        }
        return new TrainingCorpus(set, audioDirs, target, excludes, folds, minSec);
    }

    /**
     * Reads every rendering of every song.
     *
     * @return the model file's line naming the training data (file count and SHA-256 over each
     *         file's id, name and bytes), or null after saying why nothing was read
     */
    String read(PrintStream err, SongReader reader) throws Exception {
        Set<String> ids = trainableIds(err);
        if (ids == null) {
            return null;
        }
        AudioDecoder decoder = Cli.Analysis.decoderFromSettings();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        int files = 0;
        int missing = 0;
        int k = 0;
        for (String id : ids) {
            k++;
            Path ref = set.resolve("refs").resolve(id + ".json");
            for (Path audio : audioDirs) {
                Path file = find(audio, id);
                if (file == null || !Files.isRegularFile(ref)) {
                    missing++;
                    continue;
                }
                err.printf(Locale.ROOT, "\r[%d/%d] %s ...", k, ids.size(), id);
                fingerprint(sha, id, file);
                files++;
                reader.read(id, decoder.decode(file, Cli.CLI_MAX_DURATION_SEC), ref);
            }
        }
        err.print("\r");
        if (files == 0) {
            err.println("No song of " + set + " has audio in " + audioDirs);
            return null;
        }
        if (missing > 0) {
            err.println(missing + " song rendering(s) without audio or reference skipped.");
        }
        return "# training data: " + files + " files, sha256 " + HexFormat.of().formatHex(sha.digest()) + "\n";
    }

    /** Writes the model text to {@link #out}, creating its folder. */
    void write(String text) throws IOException {
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, text);
    }

    private static void fingerprint(MessageDigest sha, String id, Path file) throws IOException {
        sha.update((id + "/" + file.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int r = in.read(buf); r > 0; r = in.read(buf)) {
                sha.update(buf, 0, r);
            }
        }
    }

    /** The corpus's song ids, or null (after saying why) when one belongs to a validation set. */
    private Set<String> trainableIds(PrintStream err) throws IOException {
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

    static Set<String> ids(Path index) throws IOException {
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

    /** The sections of a reference file ([{"start","end","label"}], or an analysis JSON's "sections"). */
    static JsonNode sections(Path ref) throws IOException {
        JsonNode root = JSON.readTree(ref.toFile());
        return root.isArray() ? root : root.path("sections");
    }
}
