package com.vibecraft.pipeline.video;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * {@code GET /songs/{id}/video/status}: the status, the running composition's progress, and the
 * served video's properties (null until there is one).
 */
public record VideoState(
        @Schema(description = "none, waiting, composing, composed, stale or failed") VideoStatus status,
        @Schema(description = "0–100 while composing; 100 once composed") int progress,
        @Schema(nullable = true) Double durationSec,
        @Schema(nullable = true) Integer width,
        @Schema(nullable = true) Integer height,
        @Schema(nullable = true) Integer fps,
        @Schema(nullable = true) Long sizeBytes,
        @Schema(nullable = true, description = "why the last composition failed") String error,
        @Schema(nullable = true, description = "when the served video was composed") String composedAt) {
}
