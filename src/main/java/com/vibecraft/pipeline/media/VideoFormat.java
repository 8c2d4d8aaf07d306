package com.vibecraft.pipeline.media;

/**
 * The composed video's frame: every clip is scaled and padded into {@code width × height} without
 * distortion, at {@code fps} frames per second (H.264 yuv420p, AAC stereo at {@code audioSampleRate}).
 */
public record VideoFormat(int width, int height, int fps, int audioSampleRate) {

    public VideoFormat {
        if (width < 16 || height < 16 || width % 2 != 0 || height % 2 != 0 || width > 4096 || height > 4096) {
            throw new IllegalArgumentException("The video size must be even numbers of pixels between 16 and 4096, got "
                    + width + "x" + height);
        }
        if (fps < 1 || fps > 120) {
            throw new IllegalArgumentException("The frame rate must be 1–120 fps, got " + fps);
        }
        if (audioSampleRate < 8000 || audioSampleRate > 192000) {
            throw new IllegalArgumentException("The audio sample rate must be 8000–192000 Hz, got " + audioSampleRate);
        }
    }

    /** 1280×720 at 24 fps, AAC 48 kHz: the default. */
    public static VideoFormat landscape720() {
        return new VideoFormat(1280, 720, 24, 48000);
    }

    /** The 9:16 short form: 720×1280 at 24 fps. */
    public static VideoFormat vertical720() {
        return new VideoFormat(720, 1280, 24, 48000);
    }

    public double frameSec() {
        return 1.0 / fps;
    }
}
