package com.vibecraft.pipeline.clips;

import java.util.UUID;

/** A clip-generation job as it travels on the Redis stream (README "Job protocol"). */
public record ClipJob(
        UUID clipId,
        UUID jobId,
        UUID songId,
        String sectionId,
        String sectionType,
        String sectionDisplayName,
        double startSec,
        double endSec,
        double durationSec,
        int fps,
        int numFrames,
        String prompt,
        long styleSeed,
        int attempt,
        String audioUrl) {
}
