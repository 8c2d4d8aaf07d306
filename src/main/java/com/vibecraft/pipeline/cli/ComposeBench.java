package com.vibecraft.pipeline.cli;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

import com.vibecraft.pipeline.clips.preview.PreviewClipRenderer;
import com.vibecraft.pipeline.media.ClipLimits;
import com.vibecraft.pipeline.media.ClipSlot;
import com.vibecraft.pipeline.media.ComposedVideo;
import com.vibecraft.pipeline.media.CompositionProgress;
import com.vibecraft.pipeline.media.VideoComposer;
import com.vibecraft.pipeline.media.VideoFormat;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * {@code compose-bench [--seconds 240] [--clips 45] [--out DIR]}: composes a generated song from its
 * preview clips (320x180 at 8 fps, re-encoded to 1280x720 at 24 fps) and from clips that already match
 * the output (stream copy), and, when the command-line {@code ffmpeg} is installed, the same preview
 * clips with ffmpeg's concat demuxer and the same settings as the reference. Prints wall time, × real
 * time and peak heap. A benchmark, not a test: nothing is asserted.
 */
public final class ComposeBench {

    private static final VideoFormat FORMAT = VideoFormat.landscape720();
    private static final int SAMPLE_RATE = 44100;
    private static final int PREVIEW_FPS = 8;

    private ComposeBench() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        double seconds = 240;
        int count = 45;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            if ("--seconds".equals(args[i]) && i + 1 < args.length) {
                seconds = Double.parseDouble(args[++i]);
            } else if ("--clips".equals(args[i]) && i + 1 < args.length) {
                count = Integer.parseInt(args[++i]);
            } else if ("--out".equals(args[i]) && i + 1 < args.length) {
                dir = Path.of(args[++i]);
            } else {
                err.println("Unexpected argument: " + args[i]);
                err.print(Cli.USAGE);
                return 2;
            }
        }
        Path work = Files.createDirectories(dir != null ? dir : Files.createTempDirectory("compose-bench"));
        out.printf(Locale.ROOT, "compose-bench: a %.0f s song, %d clips, %dx%d at %d fps, x264 preset %s, in %s%n",
                seconds, count, FORMAT.width(), FORMAT.height(), FORMAT.fps(), VideoComposer.X264_PRESET, work);

        float[] song = synthesize(seconds);
        Path songFile = writeWav(work.resolve("song.wav"), song);
        double[] starts = new double[count + 1];
        for (int i = 0; i <= count; i++) {
            // slices on the preview's 1/8 s frame grid, as the clip planner cuts them
            starts[i] = Math.round(i * seconds / count * PREVIEW_FPS) / (double) PREVIEW_FPS;
        }

        err.println("rendering " + count + " preview clips (320x180, 8 fps) ...");
        Path previews = Files.createDirectories(work.resolve("preview"));
        PreviewClipRenderer renderer = new PreviewClipRenderer();
        List<ClipSlot> previewClips = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path file = previews.resolve(String.format(Locale.ROOT, "clip-%03d.mp4", i));
            int frames = (int) Math.round((starts[i + 1] - starts[i]) * PREVIEW_FPS);
            renderer.render(song, SAMPLE_RATE, starts[i], starts[i + 1], PREVIEW_FPS, frames, "Clip " + (i + 1), file);
            previewClips.add(new ClipSlot(i, "preview-" + i, file, starts[i], starts[i + 1]));
        }
        // x264 and the muxer report every clip on stderr otherwise
        av_log_set_level(AV_LOG_ERROR);
        err.println("encoding " + count + " clips that already match the output (H.264 1280x720, 24 fps) ...");
        Path matching = Files.createDirectories(work.resolve("matching"));
        List<ClipSlot> matchingClips = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path file = matching.resolve(String.format(Locale.ROOT, "clip-%03d.mp4", i));
            long frames = Math.round(starts[i + 1] * FORMAT.fps()) - Math.round(starts[i] * FORMAT.fps());
            encodeMatching(file, (int) frames, i);
            matchingClips.add(new ClipSlot(i, "matching-" + i, file, starts[i], starts[i + 1]));
        }

        VideoComposer composer = new VideoComposer(FORMAT, ClipLimits.defaults());
        out.printf(Locale.ROOT, "%-34s %8s %12s %10s %10s%n", "path", "wall s", "x real time", "peak MB", "MB out");
        ComposedVideo reencoded = measure("re-encode (preview clips)", out, seconds,
                () -> composer.compose(previewClips, songFile, song.length / (double) SAMPLE_RATE,
                        work.resolve("reencoded.mp4"), CompositionProgress.NONE));
        ComposedVideo copied = measure("stream copy (matching clips)", out, seconds,
                () -> composer.compose(matchingClips, songFile, song.length / (double) SAMPLE_RATE,
                        work.resolve("copied.mp4"), CompositionProgress.NONE));
        if (!copied.streamCopied() || reencoded.streamCopied()) {
            err.println("unexpected path: re-encode streamCopied=" + reencoded.streamCopied()
                    + ", copy streamCopied=" + copied.streamCopied());
            return 1;
        }
        double reference = ffmpegReference(previewClips, songFile, seconds, work, out, err);
        if (reference > 0) {
            out.printf(Locale.ROOT, "re-encode speed relative to ffmpeg: %.2f (goal >= 0.8)%n",
                    reference / reencoded.wallSec());
        }
        out.printf(Locale.ROOT, "stream copy: %.1fx real time (goal >= 20)%n", seconds / copied.wallSec());
        return 0;
    }

    private interface Composition {
        ComposedVideo run() throws Exception;
    }

    private static ComposedVideo measure(String name, PrintStream out, double seconds, Composition composition)
            throws Exception {
        Cli.resetPeaks();
        ComposedVideo video = composition.run();
        long peak = Cli.heapPeak();
        out.printf(Locale.ROOT, "%-34s %8.1f %12.1f %10.1f %10.1f%n", name, video.wallSec(), seconds / video.wallSec(),
                peak / 1048576.0, video.sizeBytes() / 1048576.0);
        return video;
    }

    /**
     * The same preview clips through Debian's ffmpeg: concat demuxer, the same scale+pad, 24 fps,
     * libx264 with the same preset and CRF, AAC 48 kHz stereo, +faststart. Returns its wall seconds,
     * or 0 when ffmpeg is not installed.
     */
    private static double ffmpegReference(List<ClipSlot> clips, Path song, double seconds, Path dir, PrintStream out,
                                          PrintStream err) throws Exception {
        StringBuilder list = new StringBuilder();
        for (ClipSlot clip : clips) {
            list.append("file '").append(clip.file().toAbsolutePath()).append("'\n");
        }
        Path listFile = Files.writeString(dir.resolve("concat.txt"), list);
        String filter = String.format(Locale.ROOT, "scale=%d:%d:force_original_aspect_ratio=decrease,"
                        + "pad=%d:%d:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1,fps=%d,format=yuv420p",
                FORMAT.width(), FORMAT.height(), FORMAT.width(), FORMAT.height(), FORMAT.fps());
        List<String> command = List.of("ffmpeg", "-y", "-v", "error", "-f", "concat", "-safe", "0", "-i",
                listFile.toString(), "-i", song.toString(), "-map", "0:v", "-map", "1:a", "-vf", filter,
                "-c:v", "libx264", "-preset", VideoComposer.X264_PRESET, "-crf", Integer.toString(VideoComposer.X264_CRF),
                "-g", Integer.toString(2 * FORMAT.fps()), "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "192k",
                "-ar", Integer.toString(FORMAT.audioSampleRate()), "-ac", "2", "-t", Double.toString(seconds),
                "-movflags", "+faststart", dir.resolve("ffmpeg-reference.mp4").toString());
        long started = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("ffmpeg-reference.log").toFile()).start();
        } catch (java.io.IOException e) {
            out.println("reference skipped: the command-line ffmpeg is not installed (apt-get install ffmpeg)");
            return 0;
        }
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            err.println("reference failed: see " + dir.resolve("ffmpeg-reference.log"));
            return 0;
        }
        double wall = (System.nanoTime() - started) / 1e9;
        out.printf(Locale.ROOT, "%-34s %8.1f %12.1f %10s %10.1f%n", "ffmpeg CLI re-encode (reference)", wall,
                seconds / wall, "-", Files.size(dir.resolve("ffmpeg-reference.mp4")) / 1048576.0);
        return wall;
    }

    /** A clip like a video model's at the output's size and rate: a colour per clip with a moving bar. */
    private static void encodeMatching(Path file, int frames, int index) throws Exception {
        try (FFmpegFrameRecorder rec = VideoComposer.x264Recorder(file, FORMAT)) {
            rec.start();
            int w = FORMAT.width();
            int h = FORMAT.height();
            try (Frame frame = new Frame(w, h, Frame.DEPTH_UBYTE, 3)) {
                ByteBuffer pixels = (ByteBuffer) frame.image[0];
                java.awt.Color colour = java.awt.Color.getHSBColor(index * 0.13f % 1f, 0.6f, 0.8f);
                byte[] row = new byte[frame.imageStride];
                for (int k = 0; k < frames; k++) {
                    int bar = k * w / Math.max(1, frames);
                    for (int x = 0; x < w; x++) {
                        boolean onBar = Math.abs(x - bar) < 16;
                        row[x * 3] = (byte) (onBar ? 255 : colour.getBlue());
                        row[x * 3 + 1] = (byte) (onBar ? 255 : colour.getGreen());
                        row[x * 3 + 2] = (byte) (onBar ? 255 : colour.getRed());
                    }
                    for (int y = 0; y < h; y++) {
                        pixels.put(y * frame.imageStride, row);
                    }
                    rec.record(frame);
                }
            }
            rec.stop();
        }
    }

    /**
     * A song: a four-chord progression, a kick on every beat at 120 BPM, and sections whose loudness
     * changes every 30 s, so the previews move.
     */
    static float[] synthesize(double seconds) {
        float[] x = new float[(int) Math.round(seconds * SAMPLE_RATE)];
        double[][] chords = {{261.6, 329.6, 392.0}, {196.0, 246.9, 293.7}, {220.0, 261.6, 329.6}, {174.6, 220.0, 261.6}};
        for (int i = 0; i < x.length; i++) {
            double t = i / (double) SAMPLE_RATE;
            double[] chord = chords[(int) (t / 2) % chords.length];
            double level = ((int) (t / 30)) % 2 == 0 ? 0.25 : 0.1;
            double v = 0;
            for (double f : chord) {
                v += Math.sin(2 * Math.PI * f * t);
            }
            double beat = t % 0.5;
            double kick = Math.exp(-beat * 30) * Math.sin(2 * Math.PI * 60 * beat);
            x[i] = (float) (level * v / chord.length + 0.4 * kick);
        }
        return x;
    }

    private static Path writeWav(Path file, float[] samples) throws Exception {
        ByteBuffer pcm = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : samples) {
            pcm.putShort((short) Math.round(Math.max(-1, Math.min(1, v)) * 32767));
        }
        AudioFormat format = new AudioFormat(SAMPLE_RATE, 16, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm.array()), format, samples.length)) {
            File target = file.toFile();
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, target);
        }
        return file;
    }
}
