package com.vibecraft.pipeline.song;

import java.util.UUID;

/** What ingest knows about a song before its row exists. */
public record NewSong(
        UUID id,
        String title,
        String originalFilename,
        String contentType,
        String format,
        long sizeBytes,
        String sha256,
        String storagePath,
        double durationSec) {
}
