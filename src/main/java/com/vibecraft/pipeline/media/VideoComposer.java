package com.vibecraft.pipeline.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameRecorder;

/**
 * Composes a song's clips, in order, and the song's own audio into one MP4 (H.264 yuv420p + AAC,
 * {@code +faststart}) in a {@link VideoFormat}, with FFmpeg in-process (JavaCV). Clips that already
 * match the output are copied packet by packet; anything else is decoded, fitted and re-encoded. Knows
 * nothing of Camel, the database or HTTP; holds no mutable state, so one instance may serve many threads.
 */
public final class VideoComposer {

    /** x264's speed/size trade-off on the re-encode path (the benchmark's ffmpeg reference uses the same). */
    public static final String X264_PRESET = "veryfast";
    /** x264's constant quality on the re-encode path. */
    public static final int X264_CRF = 23;

    private final VideoFormat format;
    private final ClipLimits limits;

    /**
     * The re-encode path's H.264 encoder for {@code format}, not started: yuv420p, x264 at
     * {@link #X264_PRESET}/{@link #X264_CRF}, a key frame every 2 s (players seek, and the timeline
     * jumps, without decoding long runs). Clips made with it match the output, so they are stream-copied.
     */
    public static FFmpegFrameRecorder x264Recorder(Path file, VideoFormat format) {
        FFmpegFrameRecorder encoder = new FFmpegFrameRecorder(file.toFile(), format.width(), format.height(), 0);
        encoder.setFormat("mp4");
        encoder.setVideoCodec(AV_CODEC_ID_H264);
        encoder.setVideoCodecName("libx264");
        encoder.setPixelFormat(AV_PIX_FMT_YUV420P);
        encoder.setFrameRate(format.fps());
        encoder.setGopSize(2 * format.fps());
        encoder.setVideoOption("preset", X264_PRESET);
        encoder.setVideoOption("crf", Integer.toString(X264_CRF));
        // JavaCV's default 400 kb/s would make x264 aim at a bitrate instead of a quality
        encoder.setVideoBitrate(0);
        return encoder;
    }

    public VideoComposer(VideoFormat format, ClipLimits limits) {
        this.format = format;
        this.limits = limits;
    }

    public VideoFormat format() {
        return format;
    }

    /**
     * Writes the video to a temporary file beside {@code target} and moves it over {@code target} only
     * when it is complete; on any failure the temporary file is removed and {@code target} is untouched.
     *
     * @param clips           local clip files in play order (each starts on the frame nearest its startSec)
     * @param songAudio       the song's original audio file (any format FFmpeg reads)
     * @param songDurationSec the video's length (± one frame); frames before the first clip are black
     * @param progress        told 0–100 at most four times a second, 100 once the target is in place
     * @throws ClipMediaException   a clip is missing, empty, unreadable, of an unknown codec or over the limits
     * @throws CompositionException the song's audio cannot be read, the disk is full, or writing failed
     * @throws InterruptedException the thread was interrupted (checked between frames and packets)
     */
    public ComposedVideo compose(List<ClipSlot> clips, Path songAudio, double songDurationSec, Path target,
                                 CompositionProgress progress)
            throws ClipMediaException, CompositionException, InterruptedException {
        if (!(songDurationSec > 0) || Double.isInfinite(songDurationSec)) {
            throw new IllegalArgumentException("The song's duration must be positive, got " + songDurationSec);
        }
        long started = System.nanoTime();
        Progress report = new Progress(progress);
        ClipSchedule schedule = ClipSchedule.of(clips, songDurationSec, format.fps());
        List<ClipProbe> probes = new ArrayList<>(clips.size());
        for (ClipSlot clip : clips) {
            probes.add(ClipProbe.probe(clip, limits, format));
            report.phase(0, 5, probes.size() / (double) clips.size());
        }
        if (!Files.isRegularFile(songAudio)) {
            throw new CompositionException("The song's audio cannot be read: " + songAudio + " is missing");
        }
        boolean copy = canCopy(schedule, probes);
        Path output = target.toAbsolutePath();
        Path dir = output.getParent();
        String name = "." + output.getFileName() + ".";
        Path videoOut = null;
        Path audio = null;
        Path written = null;
        boolean moved = false;
        try {
            Files.createDirectories(dir);
            written = Files.createTempFile(dir, name, ".part");
            audio = Files.createTempFile(dir, name, ".aac.part");
            Soundtrack.encode(songAudio, songDurationSec, format.audioSampleRate(), audio,
                    f -> report.phase(5, 15, f));
            List<Mp4Mux.Segment> segments = new ArrayList<>();
            long total = schedule.totalFrames();
            int muxFrom;
            if (copy) {
                for (ClipSchedule.Slot slot : schedule.slots()) {
                    if (slot.frames() > 0) {
                        segments.add(new Mp4Mux.Segment(slot.clip().file(), slot.startFrame(), slot.frames(), slot.clip()));
                    }
                }
                muxFrom = 15;
            } else {
                videoOut = Files.createTempFile(dir, name, ".h264.part");
                FrameEncoder.encode(schedule.slots(), total, format, videoOut,
                        n -> report.phase(15, 92, n / (double) total));
                segments.add(new Mp4Mux.Segment(videoOut, 0, total, null));
                muxFrom = 92;
            }
            long frames = Mp4Mux.write(segments, audio, format.fps(), written,
                    n -> report.phase(muxFrom, 99, n / (double) total));
            readableByAll(written);
            long bytes = Files.size(written);
            try {
                Files.move(written, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(written, output, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            report.done();
            return new ComposedVideo(output, frames / (double) format.fps(), format.width(), format.height(),
                    format.fps(), bytes, frames, copy, (System.nanoTime() - started) / 1e9);
        } catch (IOException e) {
            throw writeFailure("writing " + output.getFileName() + " failed", e);
        } finally {
            deleteQuietly(moved ? null : written);
            deleteQuietly(audio);
            deleteQuietly(videoOut);
        }
    }

    /**
     * Deletes what a composition killed mid-way (a crash, SIGKILL) left beside {@code target}: its
     * temporary files {@code .<target name>.*.part}. Call it before composing again after a restart.
     *
     * @return how many files were deleted
     */
    public static int removeLeftovers(Path target) throws IOException {
        Path output = target.toAbsolutePath();
        Path dir = output.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return 0;
        }
        String prefix = "." + output.getFileName() + ".";
        int removed = 0;
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir,
                entry -> entry.getFileName().toString().startsWith(prefix)
                        && entry.getFileName().toString().endsWith(".part"))) {
            for (Path leftover : leftovers) {
                if (Files.deleteIfExists(leftover)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    /**
     * Whether every clip's packets can go into the video as they are: each is H.264 yuv420p in the
     * output's size at its constant frame rate (see {@link ClipProbe}), all share one codec header (an
     * MP4 track has one) and one B-frame delay (so decode timestamps keep rising across cuts), the first
     * starts the video, and each has at least its slot's frames (a longer one is cut, which needs a clip
     * without B-frames; holding a short clip's last frame would need a new frame, hence re-encoding).
     */
    static boolean canCopy(ClipSchedule schedule, List<ClipProbe> probes) {
        if (probes.isEmpty() || schedule.slots().get(0).startFrame() != 0) {
            return false;
        }
        ClipProbe first = probes.get(0);
        for (int i = 0; i < probes.size(); i++) {
            ClipProbe probe = probes.get(i);
            long slotFrames = schedule.slots().get(i).frames();
            if (!probe.copyable() || !Arrays.equals(probe.extradata(), first.extradata())
                    || probe.reorderDelay() != first.reorderDelay() || probe.frames() < slotFrames
                    || (probe.frames() > slotFrames && probe.reorderDelay() != 0)) {
                return false;
            }
        }
        return true;
    }

    /** A write that failed: "the disk is full" when it did, else what failed. */
    static CompositionException writeFailure(String what, Exception e) {
        if (Media.isDiskFull(e)) {
            return new CompositionException("The disk is full: " + what + " (" + e.getMessage() + ")", e);
        }
        return new CompositionException("The video could not be written: " + what + " (" + e.getMessage() + ")", e);
    }

    /** Temporary files are created owner-only; the finished video should read like any other file. */
    private static void readableByAll(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file that cannot be deleted is hidden ('.' name) and replaced next time
            }
        }
    }

    /** Percent from phases, told at most four times a second and never backwards. */
    private static final class Progress {
        private static final long INTERVAL_NS = 250_000_000L;
        private final CompositionProgress target;
        private int last = -1;
        private long lastAt;

        Progress(CompositionProgress target) {
            this.target = target == null ? CompositionProgress.NONE : target;
        }

        /** {@code fraction} (0–1) of the phase that runs from {@code from} to {@code to} percent. */
        void phase(int from, int to, double fraction) {
            int percent = from + (int) Math.floor((to - from) * Math.max(0, Math.min(1, fraction)));
            long now = System.nanoTime();
            if (percent > last && (last < 0 || now - lastAt >= INTERVAL_NS)) {
                last = percent;
                lastAt = now;
                target.update(percent);
            }
        }

        void done() {
            target.update(100);
        }
    }
}
