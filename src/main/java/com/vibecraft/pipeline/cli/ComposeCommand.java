package com.vibecraft.pipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vibecraft.pipeline.media.ClipFetcher;
import com.vibecraft.pipeline.media.ClipLimits;
import com.vibecraft.pipeline.media.ClipSlot;
import com.vibecraft.pipeline.media.ComposedVideo;
import com.vibecraft.pipeline.media.MediaFiles;
import com.vibecraft.pipeline.media.VideoComposer;
import com.vibecraft.pipeline.media.VideoFormat;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code compose <clips-dir-or-song-json> <audio> --out video.mp4 [--size WxH] [--fps N] [--vertical]}:
 * the service's composition (same {@link VideoComposer} and {@link ClipFetcher}) outside the service.
 */
public final class ComposeCommand {

    /** Video files a plain folder of clips may hold. */
    private static final String CLIP_FILES = ".*\\.(mp4|m4v|mov|webm|mkv)$";

    private ComposeCommand() {
    }

    /** The composition's inputs and output, from the command line. */
    record Request(Path clips, Path audio, Path out, VideoFormat format) {

        static Request parse(String[] args) {
            List<Path> positional = new ArrayList<>();
            Path out = null;
            int width = 1280;
            int height = 720;
            int fps = 24;
            boolean vertical = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--out" -> out = Path.of(value(args, ++i, "--out"));
                    case "--size" -> {
                        String[] wh = value(args, ++i, "--size").toLowerCase(Locale.ROOT).split("x");
                        if (wh.length != 2) {
                            throw new IllegalArgumentException("--size takes WIDTHxHEIGHT, e.g. 1280x720");
                        }
                        width = Integer.parseInt(wh[0].trim());
                        height = Integer.parseInt(wh[1].trim());
                    }
                    case "--fps" -> fps = Integer.parseInt(value(args, ++i, "--fps"));
                    case "--vertical" -> vertical = true;
                    default -> {
                        if (args[i].startsWith("--")) {
                            throw new IllegalArgumentException("Unexpected argument: " + args[i]);
                        }
                        positional.add(Path.of(args[i]));
                    }
                }
            }
            if (positional.size() != 2 || out == null) {
                throw new IllegalArgumentException("compose needs <clips-dir-or-song-json> <audio> --out video.mp4");
            }
            // --vertical turns the frame 9:16 (720x1280 by default)
            VideoFormat format = vertical && width > height ? new VideoFormat(height, width, fps, 48000)
                    : new VideoFormat(width, height, fps, 48000);
            return new Request(positional.get(0), positional.get(1), out, format);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }

    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Request request;
        try {
            request = Request.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(Cli.USAGE);
            return 2;
        }
        if (!Files.isRegularFile(request.audio())) {
            err.println("No such audio file: " + request.audio());
            return 2;
        }
        Path work = Files.createTempDirectory("vibecraft-compose");
        try {
            List<ClipSlot> clips = clips(request.clips(), work);
            double songSec = MediaFiles.audioDurationSec(request.audio());
            ComposedVideo video = new VideoComposer(request.format(), ClipLimits.defaults()).compose(clips,
                    request.audio(), songSec, request.out(), percent -> err.printf(Locale.ROOT, "\r%3d %%", percent));
            err.print("\r");
            out.printf(Locale.ROOT, "%s: %d clips, %.3f s (song %.3f s), %dx%d at %d fps, %d frames, %d bytes, %s, "
                            + "%.1f s wall (%.1fx real time)%n", video.file(), clips.size(), video.durationSec(), songSec,
                    video.width(), video.height(), video.fps(), video.frames(), video.sizeBytes(),
                    video.streamCopied() ? "stream copy" : "re-encoded", video.wallSec(),
                    video.durationSec() / video.wallSec());
            return 0;
        } finally {
            ClipFetcher.deleteWorkDir(work);
        }
    }

    /**
     * The clips in play order: a song JSON (the array GET /api/v1/songs/{id}/clips answers, or an object
     * with such a {@code clips} array; each item has clipIndex, id, startSec, endSec and videoUrl or file),
     * a folder holding such a {@code clips.json}, or a plain folder of video files taken in name order,
     * each as long as its own video.
     */
    static List<ClipSlot> clips(Path source, Path work) throws Exception {
        if (Files.isDirectory(source) && Files.isRegularFile(source.resolve("clips.json"))) {
            return fromJson(source.resolve("clips.json"), work);
        }
        if (Files.isDirectory(source)) {
            return fromFolder(source);
        }
        if (Files.isRegularFile(source)) {
            return fromJson(source, work);
        }
        throw new IllegalArgumentException("No such folder or song JSON: " + source);
    }

    private static List<ClipSlot> fromJson(Path json, Path work) throws Exception {
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        JsonNode items = root.isArray() ? root : root.path("clips");
        if (!items.isArray() || items.isEmpty()) {
            throw new IllegalArgumentException(json + " has no clips (a JSON array, or an object with 'clips')");
        }
        Path dir = json.toAbsolutePath().getParent();
        ClipFetcher fetcher = new ClipFetcher("", dir, ClipLimits.defaults());
        List<ClipSlot> clips = new ArrayList<>();
        for (JsonNode item : items) {
            int index = item.path("clipIndex").asInt(clips.size());
            String id = item.path("id").asText("clip-" + index);
            Path file = item.hasNonNull("file") ? dir.resolve(item.get("file").asText())
                    : fetcher.fetch(index, id, item.path("videoUrl").asText(null), work);
            clips.add(new ClipSlot(index, id, file, item.path("startSec").asDouble(), item.path("endSec").asDouble()));
        }
        clips.sort(Comparator.comparingInt(ClipSlot::clipIndex));
        return clips;
    }

    private static List<ClipSlot> fromFolder(Path dir) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(CLIP_FILES))
                    .sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("No video files (.mp4, .mov, .webm, .mkv) in " + dir);
        }
        List<ClipSlot> clips = new ArrayList<>();
        double start = 0;
        for (Path file : files) {
            String id = file.getFileName().toString();
            double length = MediaFiles.videoDurationSec(new ClipSlot(clips.size(), id, file, start, start),
                    ClipLimits.defaults());
            clips.add(new ClipSlot(clips.size(), id, file, start, start + length));
            start += length;
        }
        return clips;
    }
}
