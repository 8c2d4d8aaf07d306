package com.vibecraft.pipeline.media;

import java.nio.file.Path;
import java.util.List;

/**
 * Composes a song's clips, in order, and the song's own audio into one MP4 (H.264 yuv420p + AAC,
 * {@code +faststart}) in a {@link VideoFormat}. Knows nothing of Camel, the database or HTTP.
 */
public final class VideoComposer {

    private final VideoFormat format;
    private final ClipLimits limits;

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
     * @param songDurationSec the video's length (± one frame)
     */
    public ComposedVideo compose(List<ClipSlot> clips, Path songAudio, double songDurationSec, Path target,
                                 CompositionProgress progress)
            throws ClipMediaException, CompositionException, InterruptedException {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
