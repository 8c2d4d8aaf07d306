package com.vibecraft.pipeline.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.LongConsumer;
import org.bytedeco.javacv.FFmpegFrameFilter;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameFilter;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

/**
 * The re-encode path: decodes each clip (any codec, size, frame rate or pixel format FFmpeg reads),
 * scales and pads it into the output frame without distortion, puts it on the output's frame grid
 * (each output frame shows the clip's frame nearest in time; a short clip holds its last frame, a long
 * one is cut at its slot's end) and encodes the whole as H.264 yuv420p into a video-only MP4.
 * One clip is open at a time and frames stay in native buffers, so the heap does not grow with the song.
 */
final class FrameEncoder {

    static {
        Media.load();
    }

    private FrameEncoder() {
    }

    /** The filter graph that fits a clip into the frame: scale down or up keeping its shape, pad with black. */
    static String fitFilter(int width, int height, double sampleAspect) {
        // non-square source pixels are first made square so the picture keeps its displayed shape
        String square = Math.abs(sampleAspect - 1) > 1e-3 && sampleAspect > 0 ? "scale=iw*sar:ih," : "";
        return String.format(Locale.ROOT,
                "%sscale=%d:%d:force_original_aspect_ratio=decrease:force_divisible_by=2,"
                        + "pad=%d:%d:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1,format=yuv420p",
                square, width, height, width, height);
    }

    /**
     * @param slots      the clips and their first output frame, in play order (a slot ends where the next begins)
     * @param frameDone  told the number of output frames encoded so far
     */
    static void encode(List<ClipSchedule.Slot> slots, long totalFrames, VideoFormat format, Path out,
                       LongConsumer frameDone) throws ClipMediaException, CompositionException, InterruptedException {
        try (FFmpegFrameRecorder encoder = VideoComposer.x264Recorder(out, format)) {
            encoder.start();
            long written = 0;
            long firstClipFrame = slots.isEmpty() ? totalFrames : slots.get(0).startFrame();
            if (firstClipFrame > 0) {
                // before the first clip (a song whose first clip starts late): black
                Frame black = new Frame(format.width(), format.height(), Frame.DEPTH_UBYTE, 3);
                ByteBuffer pixels = (ByteBuffer) black.image[0];
                // native memory comes uninitialised
                for (int i = 0; i < pixels.capacity(); i++) {
                    pixels.put(i, (byte) 0);
                }
                for (; written < firstClipFrame; written++) {
                    encoder.record(black);
                    frameDone.accept(written + 1);
                    Media.checkInterrupt();
                }
                black.close();
            }
            for (ClipSchedule.Slot slot : slots) {
                written += encodeClip(slot, format, encoder, written, frameDone);
            }
            encoder.stop();
        } catch (FrameRecorder.Exception e) {
            throw VideoComposer.writeFailure("encoding the video failed", e);
        }
    }

    /** Encodes one clip's slot; returns the frames written. */
    private static long encodeClip(ClipSchedule.Slot slot, VideoFormat format, FFmpegFrameRecorder encoder,
                                   long writtenBefore, LongConsumer frameDone)
            throws ClipMediaException, FFmpegFrameRecorder.Exception, InterruptedException {
        ClipSlot clip = slot.clip();
        if (slot.frames() <= 0) {
            return 0;
        }
        FFmpegFrameGrabber decoder = new FFmpegFrameGrabber(clip.file().toFile());
        decoder.setPixelFormat(AV_PIX_FMT_YUV420P);
        FFmpegFrameFilter fit = null;
        try {
            decoder.start();
            fit = new FFmpegFrameFilter(fitFilter(format.width(), format.height(), decoder.getAspectRatio()),
                    decoder.getImageWidth(), decoder.getImageHeight());
            fit.setPixelFormat(AV_PIX_FMT_YUV420P);
            fit.setFrameRate(format.fps());
            fit.setAspectRatio(decoder.getAspectRatio());
            fit.start();
            Frame next = decoder.grabImage();
            if (next == null) {
                throw new ClipMediaException(clip, "its video has no frames");
            }
            long firstUs = next.timestamp;
            Frame shown = null;
            double halfFrameUs = 500_000.0 / format.fps();
            for (long k = 0; k < slot.frames(); k++) {
                // the clip's latest frame at (or within half an output frame after) this output frame's time
                double dueUs = firstUs + k * 1_000_000.0 / format.fps() + halfFrameUs;
                while (next != null && (shown == null || next.timestamp < dueUs)) {
                    fit.push(next, AV_PIX_FMT_YUV420P);
                    Frame fitted = fit.pullImage();
                    if (fitted != null) {
                        shown = fitted;
                    }
                    next = decoder.grabImage();
                }
                if (shown == null) {
                    throw new ClipMediaException(clip, "its video frames cannot be scaled");
                }
                encoder.record(shown, AV_PIX_FMT_YUV420P);
                frameDone.accept(writtenBefore + k + 1);
                Media.checkInterrupt();
            }
            return slot.frames();
        } catch (FrameGrabber.Exception | FrameFilter.Exception e) {
            throw new ClipMediaException(clip.clipIndex(), clip.clipId(), "its video cannot be decoded: "
                    + e.getMessage(), e);
        } finally {
            // native buffers go now, not when the garbage collector finds the wrappers
            closeQuietly(fit);
            closeQuietly(decoder);
        }
    }

    private static void closeQuietly(AutoCloseable resource) {
        if (resource != null) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // releasing a decoder or filter cannot fail in a way that changes the video
            }
        }
    }
}
