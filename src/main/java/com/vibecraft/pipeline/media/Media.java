package com.vibecraft.pipeline.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.javacpp.Loader;

/** The FFmpeg natives, loaded once (from the jar's lib/, no system FFmpeg), and FFmpeg's errors in words. */
final class Media {

    /** AVERROR(ENOSPC): a write failed because the disk is full. */
    static final int AVERROR_ENOSPC = -28;
    /** JavaCV reports FFmpeg's write errors as "… error -28 …"; Java's own IO as "No space left on device". */
    private static final Pattern DISK_FULL = Pattern.compile("No space left on device|error -28\\b");

    private static volatile boolean loaded;

    private Media() {
    }

    static void load() {
        if (!loaded) {
            synchronized (Media.class) {
                if (!loaded) {
                    Loader.load(avformat.class);
                    Loader.load(avcodec.class);
                    // FFmpeg logs every damaged packet to stderr; our errors carry what matters
                    av_log_set_level(AV_LOG_ERROR);
                    loaded = true;
                }
            }
        }
    }

    /** FFmpeg's text for an error code ("No space left on device", "Invalid data found …"). */
    static String error(int code) {
        byte[] text = new byte[256];
        av_strerror(code, text, text.length);
        int end = 0;
        while (end < text.length && text[end] != 0) {
            end++;
        }
        return new String(text, 0, end, StandardCharsets.UTF_8) + " (" + code + ")";
    }

    /** Compositions stop between frames and packets when their thread is interrupted. */
    static void checkInterrupt() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("composition interrupted");
        }
    }

    /** Whether a failure anywhere in {@code e}'s causes was a full disk. */
    static boolean isDiskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && DISK_FULL.matcher(t.getMessage()).find()) {
                return true;
            }
        }
        return false;
    }
}
