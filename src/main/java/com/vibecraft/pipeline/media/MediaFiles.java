package com.vibecraft.pipeline.media;

import java.nio.file.Path;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;

/** What a media file is, for callers that have no database row to ask (the command line). */
public final class MediaFiles {

    static {
        Media.load();
    }

    private MediaFiles() {
    }

    /** The length of an audio file in seconds, as FFmpeg reads it. */
    public static double audioDurationSec(Path audio) throws CompositionException {
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(audio.toFile())) {
            grabber.start();
            if (grabber.getAudioChannels() <= 0 || grabber.getLengthInTime() <= 0) {
                throw new CompositionException("The song's audio cannot be read (" + audio.getFileName()
                        + "): no audio stream of known length");
            }
            return grabber.getLengthInTime() / 1e6;
        } catch (FrameGrabber.Exception e) {
            throw new CompositionException("The song's audio cannot be read (" + audio.getFileName() + "): "
                    + e.getMessage(), e);
        }
    }

    /** The length of a clip's video in seconds, checked against {@code limits} like a composition does. */
    public static double videoDurationSec(ClipSlot clip, ClipLimits limits) throws ClipMediaException {
        return ClipProbe.probe(clip, limits, VideoFormat.landscape720()).durationSec();
    }
}
