package com.vibecraft.pipeline.song;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.vibecraft.pipeline.video.VideoStatus;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.UUID;

/** A song as the API shows it (SPEC §7); {@code storagePath} stays internal. */
public record Song(
        UUID id,
        @Schema(nullable = true) String title,
        String originalFilename,
        String contentType,
        long sizeBytes,
        String sha256,
        double durationSec,
        @Schema(nullable = true) Double bpm,
        SongStatus status,
        int progress,
        @Schema(nullable = true, description = "local or audjust, once analysed") String analysisSource,
        @Schema(nullable = true, description = "why the local detector was used instead of Audjust") String fallbackReason,
        @Schema(nullable = true, description = "why the analysis failed") String error,
        String createdAt,
        String updatedAt,
        @Schema(nullable = true) String analyzedAt,
        ClipCounts clips,
        VideoPhase video,
        @JsonIgnore String storagePath) {

    /** The music video phase (details at GET /songs/{id}/video/status). */
    public record VideoPhase(
            @Schema(description = "none, waiting, composing, composed, stale or failed") VideoStatus status) {
    }

    /** The clip phase: how many of the song's clips are in each state. */
    public record ClipCounts(int total, int queued, int processing, int completed, int failed) {

        /** none, generating (some queued or processing), completed (all) or failed (some failed, none in flight). */
        @com.fasterxml.jackson.annotation.JsonProperty("phase")
        public String phase() {
            if (total == 0) {
                return "none";
            }
            if (queued + processing > 0) {
                return "generating";
            }
            return failed > 0 ? "failed" : "completed";
        }
    }
}
