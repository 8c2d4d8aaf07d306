package com.vibecraft.pipeline.clips;

import io.swagger.v3.oas.annotations.media.Schema;
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
        @Schema(nullable = true) Integer startBeat,
        @Schema(nullable = true) Integer endBeat,
        int fps,
        int numFrames,
        ClipStatus status,
        int attempts,
        int maxAttempts,
        @Schema(nullable = true) String nextAttemptAt,
        @Schema(nullable = true) String error,
        String prompt,
        long styleSeed,
        @Schema(nullable = true) String videoUrl,
        UUID jobId,
        String createdAt,
        String updatedAt,
        @Schema(nullable = true) String completedAt) {
}
