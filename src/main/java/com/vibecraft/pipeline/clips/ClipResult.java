package com.vibecraft.pipeline.clips;

import java.util.UUID;

/** A worker's answer on {@code {prefix}:clip-results}: {@code completed} with a video URL, or {@code failed} with an error. */
public record ClipResult(UUID clipId, UUID jobId, boolean completed, String videoUrl, String error) {

    public static ClipResult completed(UUID clipId, UUID jobId, String videoUrl) {
        return new ClipResult(clipId, jobId, true, videoUrl, null);
    }

    public static ClipResult failed(UUID clipId, UUID jobId, String error) {
        return new ClipResult(clipId, jobId, false, null, error);
    }
}
