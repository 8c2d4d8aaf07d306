package com.vibecraft.pipeline.song;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.UUID;

/** A song as the API shows it (SPEC §7); {@code storagePath} stays internal. */
public record Song(
        UUID id,
        String title,
        String originalFilename,
        String contentType,
        long sizeBytes,
        String sha256,
        double durationSec,
        Double bpm,
        SongStatus status,
        int progress,
        String analysisSource,
        String fallbackReason,
        String error,
        String createdAt,
        String updatedAt,
        String analyzedAt,
        ClipCounts clips,
        @JsonIgnore String storagePath) {

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
