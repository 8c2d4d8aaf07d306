package com.vibecraft.pipeline.clips;

import java.util.UUID;

/** A clip row as the API shows it (SPEC §6–7). */
public record Clip(
        UUID id,
        UUID songId,
        String sectionId,
        String sectionType,
        String sectionDisplayName,
        int clipIndex,
        double startSec,
        double endSec,
        double durationSec,
        Integer startBeat,
        Integer endBeat,
        int fps,
        int numFrames,
        ClipStatus status,
        int attempts,
        int maxAttempts,
        String nextAttemptAt,
        String error,
        String prompt,
        long styleSeed,
        String videoUrl,
        UUID jobId,
        String createdAt,
        String updatedAt,
        String completedAt) {
}
