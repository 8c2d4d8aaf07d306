package com.vibecraft.pipeline.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_H264;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import com.vibecraft.pipeline.support.TestAudio;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/** Real media made in the tests with FFmpeg: solid-colour clips in many shapes, and a song of known loudness. */
final class TestClips {

    static {
        Media.load();
    }

    /** How a clip is encoded: container, codec (FFmpeg encoder name) and pixel format. */
    record Codec(String format, String encoder, int pixelFormat) {
        static final Codec H264_MP4 = new Codec("mp4", "libx264", AV_PIX_FMT_YUV420P);
        static final Codec VP8_WEBM = new Codec("webm", "libvpx", AV_PIX_FMT_YUV420P);
        /** ProRes 4:2:2 10-bit in QuickTime: another container, codec and pixel format. */
        static final Codec PRORES_MOV = new Codec("mov", "prores_ks",
                org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV422P10LE);
    }

    private TestClips() {
    }

    /**
     * A clip of {@code frames} frames of one colour ({@code rgb}) at {@code fps}.
     *
     * @param vfrGaps when true, every third frame is skipped on the timeline (variable frame rate)
     * @param sound   when true, the clip carries its own (loud) audio track, which the composer must drop
     */
    static Path solid(Path out, Codec codec, int width, int height, int fps, int frames, int rgb, boolean vfrGaps,
                      boolean sound) throws Exception {
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), width, height, sound ? 2 : 0)) {
            rec.setFormat(codec.format());
            rec.setVideoCodecName(codec.encoder());
            rec.setPixelFormat(codec.pixelFormat());
            rec.setFrameRate(fps);
            rec.setVideoOption("preset", "ultrafast");
            if (sound) {
                rec.setAudioCodec(AV_CODEC_ID_AAC);
                rec.setSampleRate(48000);
            }
            rec.start();
            Frame frame = colour(width, height, rgb);
            long step = 1_000_000L / fps;
            for (int i = 0, slot = 0; i < frames; i++, slot++) {
                if (vfrGaps && i % 3 == 2) {
                    slot++;
                }
                rec.setTimestamp(slot * step + (vfrGaps ? 1 : 0));
                rec.record(frame);
                if (sound) {
                    float[] tone = TestAudio.sine(48000, 1.0 / fps, 880, 0.9);
                    FloatBuffer stereo = FloatBuffer.allocate(tone.length * 2);
                    for (float v : tone) {
                        stereo.put(v).put(v);
                    }
                    rec.recordSamples(48000, 2, stereo.flip());
                }
            }
            rec.stop();
        }
        return out;
    }

    /**
     * H.264 yuv420p clips exactly like each other's encoder settings (one codec header), for the
     * stream-copy path.
     */
    static Path matching(Path out, VideoFormat format, int frames, int rgb) throws Exception {
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(out.toFile(), format.width(), format.height(), 0)) {
            rec.setFormat("mp4");
            rec.setVideoCodec(AV_CODEC_ID_H264);
            rec.setVideoCodecName("libx264");
            rec.setPixelFormat(AV_PIX_FMT_YUV420P);
            rec.setFrameRate(format.fps());
            rec.setGopSize(2 * format.fps());
            rec.setVideoOption("preset", "ultrafast");
            rec.start();
            Frame frame = colour(format.width(), format.height(), rgb);
            for (int i = 0; i < frames; i++) {
                rec.record(frame);
            }
            rec.stop();
        }
        return out;
    }

    /** A BGR frame of one colour. */
    static Frame colour(int width, int height, int rgb) {
        Frame frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
        ByteBuffer pixels = (ByteBuffer) frame.image[0];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = y * frame.imageStride + x * 3;
                pixels.put(p, (byte) (rgb & 0xff));
                pixels.put(p + 1, (byte) ((rgb >> 8) & 0xff));
                pixels.put(p + 2, (byte) ((rgb >> 16) & 0xff));
            }
        }
        return frame;
    }

    /** A mono WAV of {@code seconds}: a loud tone in the first half, a quiet one in the second. */
    static Path loudQuietSong(Path out, double seconds) {
        int rate = 22050;
        float[] samples = TestAudio.sine(rate, seconds, 440, 0.5);
        for (int i = samples.length / 2; i < samples.length; i++) {
            samples[i] *= 0.1f;
        }
        return TestAudio.writeWav(out, samples, rate);
    }

    /** The colour (R, G, B) averaged over a small square at (x, y) of a BGR frame. */
    static int[] rgbAt(Frame frame, int x, int y) {
        ByteBuffer pixels = (ByteBuffer) frame.image[0];
        long r = 0;
        long g = 0;
        long b = 0;
        int n = 0;
        for (int dy = -2; dy <= 2; dy++) {
            for (int dx = -2; dx <= 2; dx++) {
                int px = Math.max(0, Math.min(frame.imageWidth - 1, x + dx));
                int py = Math.max(0, Math.min(frame.imageHeight - 1, y + dy));
                int p = py * frame.imageStride + px * 3;
                b += pixels.get(p) & 0xff;
                g += pixels.get(p + 1) & 0xff;
                r += pixels.get(p + 2) & 0xff;
                n++;
            }
        }
        return new int[] {(int) (r / n), (int) (g / n), (int) (b / n)};
    }

    /** Opens a video for reading back frames as BGR. */
    static FFmpegFrameGrabber reader(Path file) throws Exception {
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile());
        grabber.start();
        return grabber;
    }
}
