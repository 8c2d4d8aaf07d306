package com.vibecraft.pipeline.clips.preview;

import java.awt.AWTError;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Objects;
import java.util.function.IntConsumer;

import org.jcodec.codecs.h264.H264Encoder;
import org.jcodec.common.Codec;
import org.jcodec.common.MuxerTrack;
import org.jcodec.common.VideoCodecMeta;
import org.jcodec.common.VideoEncoder;
import org.jcodec.common.io.FileChannelWrapper;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Packet;
import org.jcodec.common.model.Picture;
import org.jcodec.common.model.Size;
import org.jcodec.containers.mp4.muxer.MP4Muxer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders a short audio-reactive preview of one section of a song as H.264 in an MP4 file, with
 * JCodec (pure Java, no native code). Each frame shows its own slice of the audio: a spectrum of
 * {@link FrameFeatures#BANDS} bars, the waveform, a level meter, a background whose colour and
 * brightness follow the loudness (blue and dark when quiet, red and bright when loud), the caption
 * and a progress line.
 *
 * <p>The slice [startSec, endSec) is split evenly over the frames, so frame i shows
 * [startSec + i·d/n, startSec + (i+1)·d/n) with d = endSec − startSec. Audio before sample 0 or past
 * the end of the samples reads as silence; an empty slice renders silent frames.
 *
 * <p>The file is written next to {@code out} under a temporary name and moved into place when
 * complete, so {@code out} is never half written. Instances hold no mutable state and may be
 * shared between threads. AWT is used only for off-screen drawing (headless is fine); if no font
 * can be loaded the frames are drawn without text.
 */
public final class PreviewClipRenderer {

    /** Default frame size: small, 16:9, and fast to encode. */
    public static final int DEFAULT_WIDTH = 320;
    public static final int DEFAULT_HEIGHT = 180;

    private static final Logger LOG = LoggerFactory.getLogger(PreviewClipRenderer.class);
    private static final Font CAPTION_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font SMALL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 10);

    /** What {@link #render} wrote. */
    public record Result(Path file, int frames, int width, int height, long bytes) {
    }

    private final int width;
    private final int height;
    private final IntConsumer beforeFrame;

    public PreviewClipRenderer() {
        this(DEFAULT_WIDTH, DEFAULT_HEIGHT);
    }

    /** @param width,height frame size in pixels, even numbers (4:2:0 chroma), at least 64×36 */
    public PreviewClipRenderer(int width, int height) {
        this(width, height, frame -> { });
    }

    /** For tests: {@code beforeFrame} runs before each frame is drawn and may throw. */
    PreviewClipRenderer(int width, int height, IntConsumer beforeFrame) {
        if (width < 64 || height < 36 || width % 2 != 0 || height % 2 != 0 || width > 4096 || height > 4096) {
            throw new IllegalArgumentException("frame size must be even and within 64x36..4096x4096: "
                    + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.beforeFrame = Objects.requireNonNull(beforeFrame);
    }

    /**
     * Writes an MP4 (H.264) with exactly {@code numFrames} frames at {@code fps} frames per second,
     * visualising {@code monoSamples} over [startSec, endSec).
     *
     * @throws IOException if the file cannot be written; nothing is left at {@code out} then (an
     *     existing file there is left as it was)
     */
    public Result render(float[] monoSamples, float sampleRate, double startSec, double endSec, int fps,
            int numFrames, String caption, Path out) throws IOException {
        Objects.requireNonNull(monoSamples, "monoSamples");
        Objects.requireNonNull(out, "out");
        if (!(sampleRate > 0) || Float.isInfinite(sampleRate)) {
            throw new IllegalArgumentException("sampleRate must be positive: " + sampleRate);
        }
        if (!Double.isFinite(startSec) || !Double.isFinite(endSec)) {
            throw new IllegalArgumentException("slice bounds must be finite: " + startSec + ".." + endSec);
        }
        if (fps < 1 || fps > 240) {
            throw new IllegalArgumentException("fps must be within 1..240: " + fps);
        }
        if (numFrames < 1) {
            throw new IllegalArgumentException("numFrames must be at least 1: " + numFrames);
        }
        String text = caption == null ? "" : caption.strip();

        Path target = out.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
        boolean done = false;
        try {
            readableByAll(tmp);
            encode(monoSamples, sampleRate, startSec, endSec, fps, numFrames, text, tmp);
            long bytes = Files.size(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
            return new Result(target, numFrames, width, height, bytes);
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Temporary files are created owner-only; the finished video should read like any other file. */
    private static void readableByAll(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private void encode(float[] samples, float rate, double startSec, double endSec, int fps, int numFrames,
            String caption, Path file) throws IOException {
        long first = Math.round(startSec * rate);
        long count = endSec > startSec ? Math.round((endSec - startSec) * rate) : 0;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        // The encoder only accepts pictures labelled YUV420J (full range), but the stream carries no
        // range flag and players assume limited ("TV") range, so the planes are filled that way.
        Picture yuv = Picture.create(width, height, ColorSpace.YUV420J);
        H264Encoder encoder = H264Encoder.createH264Encoder();
        // The pictures hardly move; skipping motion search halves the encoding time for ~3% more bytes.
        encoder.setMotionSearchRange(0);
        ByteBuffer buffer = ByteBuffer.allocate(encoder.estimateBufferSize(yuv));
        boolean text = true;
        try (FileChannelWrapper channel = NIOUtils.writableChannel(file.toFile())) {
            MP4Muxer muxer = MP4Muxer.createMP4MuxerToChannel(channel);
            MuxerTrack track = muxer.addVideoTrack(Codec.H264,
                    VideoCodecMeta.createSimpleVideoCodecMeta(new Size(width, height), ColorSpace.YUV420J));
            for (int i = 0; i < numFrames; i++) {
                beforeFrame.accept(i);
                long from = first + count * i / numFrames;
                long to = first + count * (i + 1) / numFrames;
                FrameFeatures features = FrameFeatures.measure(samples, rate, from, to, width);
                double timeSec = startSec + (endSec > startSec ? (endSec - startSec) * i / numFrames : 0);
                text = drawFrame(image, features, caption, timeSec, (i + 1) / (double) numFrames, text);
                toYuv420(image, yuv);
                buffer.clear();
                VideoEncoder.EncodedFrame encoded = encoder.encodeFrame(yuv, buffer);
                track.addFrame(Packet.createPacket(NIOUtils.clone(encoded.getData()), i, fps, 1, i,
                        encoded.isKeyFrame() ? Packet.FrameType.KEY : Packet.FrameType.INTER, null));
            }
            muxer.finish();
        }
    }

    /**
     * Draws one frame into {@code image}. Returns whether text could be drawn (pass it back in as
     * {@code withText}, so a missing font is tried, and logged, once per clip).
     */
    boolean drawFrame(BufferedImage image, FrameFeatures f, String caption, double timeSec, double progress,
            boolean withText) {
        int w = image.getWidth();
        int h = image.getHeight();
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            float level = (float) f.level();
            float hue = 0.66f * (1 - level); // blue when quiet, through green and yellow, red when loud

            // background: darker at the top, colour and brightness follow the level
            Color top = Color.getHSBColor(hue, 0.65f, 0.06f + 0.30f * level);
            Color bottom = Color.getHSBColor(hue, 0.75f, 0.14f + 0.55f * level);
            g.setPaint(new java.awt.GradientPaint(0, 0, top, 0, h, bottom));
            g.fillRect(0, 0, w, h);

            // spectrum bars
            int left = w / 32;
            int meterWidth = Math.max(6, w / 40);
            int right = w - left - meterWidth - left;
            int barsTop = h * 2 / 9;
            int barsBottom = h * 17 / 20;
            double[] bands = f.bands();
            double slot = (right - left) / (double) bands.length;
            for (int b = 0; b < bands.length; b++) {
                float v = (float) bands[b];
                int barHeight = (int) Math.round(v * (barsBottom - barsTop));
                if (barHeight <= 0) {
                    continue;
                }
                float bandHue = (hue + 0.25f * b / bands.length) % 1f;
                g.setColor(Color.getHSBColor(bandHue, 0.75f, 0.55f + 0.45f * v));
                int x = left + (int) Math.round(b * slot);
                int bw = Math.max(1, (int) Math.round(slot * 0.75));
                g.fillRect(x, barsBottom - barHeight, bw, barHeight);
            }

            // waveform envelope across the full width
            int mid = (barsTop + barsBottom) / 2;
            int amp = (barsBottom - barsTop) / 2;
            float[] min = f.waveMin();
            float[] max = f.waveMax();
            g.setColor(new Color(255, 255, 255, 100));
            for (int x = 0; x < w && x < min.length; x++) {
                int y0 = mid - Math.round(max[x] * amp);
                int y1 = mid - Math.round(min[x] * amp);
                g.drawLine(x, y0, x, Math.max(y0, y1));
            }

            // level meter on the right
            int meterX = w - left - meterWidth;
            g.setColor(new Color(0, 0, 0, 110));
            g.fillRect(meterX, barsTop, meterWidth, barsBottom - barsTop);
            int levelHeight = Math.round(level * (barsBottom - barsTop));
            g.setColor(Color.getHSBColor(0.33f * (1 - level), 0.9f, 0.95f));
            g.fillRect(meterX, barsBottom - levelHeight, meterWidth, levelHeight);

            // progress line along the bottom
            int lineY = h - Math.max(3, h / 45);
            g.setColor(new Color(255, 255, 255, 60));
            g.fillRect(0, lineY, w, h - lineY);
            g.setColor(new Color(255, 255, 255, 220));
            g.fillRect(0, lineY, (int) Math.round(w * Math.max(0, Math.min(1, progress))), h - lineY);

            if (withText) {
                withText = drawText(g, w, h, caption, timeSec, barsTop, barsBottom, lineY);
            }
        } finally {
            g.dispose();
        }
        return withText;
    }

    private static boolean drawText(Graphics2D g, int w, int h, String caption, double timeSec, int barsTop,
            int barsBottom, int lineY) {
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(CAPTION_FONT);
            FontMetrics fm = g.getFontMetrics();
            String shown = fit(caption, fm, w - 2 * (w / 32));
            int baseline = (barsTop + fm.getAscent() - fm.getDescent()) / 2;
            g.setColor(new Color(0, 0, 0, 160));
            g.drawString(shown, w / 32 + 1, baseline + 1);
            g.setColor(Color.WHITE);
            g.drawString(shown, w / 32, baseline);

            g.setFont(SMALL_FONT);
            fm = g.getFontMetrics();
            String clock = clock(timeSec);
            g.setColor(new Color(255, 255, 255, 200));
            g.drawString(clock, w - w / 32 - fm.stringWidth(clock), (barsBottom + lineY + fm.getAscent()) / 2);
            return true;
        } catch (RuntimeException | AWTError | LinkageError | InternalError e) {
            LOG.warn("preview frames are drawn without text: fonts unavailable ({})", e.toString());
            return false;
        }
    }

    private static String fit(String text, FontMetrics fm, int maxWidth) {
        if (fm.stringWidth(text) <= maxWidth) {
            return text;
        }
        String ellipsis = "…";
        int end = text.length();
        while (end > 0 && fm.stringWidth(text.substring(0, end) + ellipsis) > maxWidth) {
            end--;
        }
        return text.substring(0, end).stripTrailing() + ellipsis;
    }

    private static String clock(double sec) {
        double s = Math.max(0, sec);
        int minutes = (int) (s / 60);
        return String.format(Locale.ROOT, "%d:%04.1f", minutes, s - minutes * 60);
    }

    /**
     * Converts a TYPE_3BYTE_BGR image to 4:2:0 YCbCr, BT.601 limited range, chroma averaged over 2×2
     * pixels. JCodec stores every sample minus 128.
     */
    static void toYuv420(BufferedImage image, Picture yuv) {
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] y = yuv.getPlaneData(0);
        byte[] u = yuv.getPlaneData(1);
        byte[] v = yuv.getPlaneData(2);
        int yStride = yuv.getPlaneWidth(0);
        int cStride = yuv.getPlaneWidth(1);
        for (int row = 0; row < h; row += 2) {
            for (int col = 0; col < w; col += 2) {
                int rSum = 0;
                int gSum = 0;
                int bSum = 0;
                for (int dy = 0; dy < 2; dy++) {
                    for (int dx = 0; dx < 2; dx++) {
                        int p = ((row + dy) * w + col + dx) * 3;
                        int b = bgr[p] & 0xff;
                        int g = bgr[p + 1] & 0xff;
                        int r = bgr[p + 2] & 0xff;
                        y[(row + dy) * yStride + col + dx] = (byte) (((66 * r + 129 * g + 25 * b + 128) >> 8) + 16 - 128);
                        rSum += r;
                        gSum += g;
                        bSum += b;
                    }
                }
                int c = (row >> 1) * cStride + (col >> 1);
                u[c] = (byte) (((-38 * rSum - 74 * gSum + 112 * bSum + 512) >> 10)); // + 128 - 128
                v[c] = (byte) (((112 * rSum - 94 * gSum - 18 * bSum + 512) >> 10));
            }
        }
    }
}
