package com.vibecraft.pipeline.clips;

/**
 * What a generator made: where the video can be fetched, or why the service refused this job
 * ({@code rejection}: the job's fault, so it fails without counting against the service).
 */
public record GeneratedClip(String videoUrl, String rejection) {

    public GeneratedClip(String videoUrl) {
        this(videoUrl, null);
    }

    public static GeneratedClip rejected(String reason) {
        return new GeneratedClip(null, reason);
    }

    public boolean isRejected() {
        return rejection != null;
    }
}
