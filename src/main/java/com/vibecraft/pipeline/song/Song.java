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
        @JsonIgnore String storagePath) {
}
