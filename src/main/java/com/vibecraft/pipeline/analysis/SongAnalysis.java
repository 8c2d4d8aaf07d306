package com.vibecraft.pipeline.analysis;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.UUID;

/** The body of {@code GET /songs/{id}/analysis} and of the {@code analyze} CLI command. */
public record SongAnalysis(
        UUID songId,
        double durationSec,
        double bpm,
        List<Double> beatTimes,
        List<Section> sections,
        String analysisSource,
        @Schema(nullable = true) String fallbackReason,
        @Schema(nullable = true, description = "The song's key; null when nothing sounds (or for an analysis stored "
                + "before keys were computed)") SongKey key,
        @Schema(nullable = true, description = "null only for an analysis stored before moods were computed") Mood mood,
        @Schema(nullable = true, description = "null only for an analysis stored before genres were computed")
        Genre genre) {
}
