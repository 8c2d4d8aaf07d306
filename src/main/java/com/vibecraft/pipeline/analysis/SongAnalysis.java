package com.vibecraft.pipeline.analysis;

import com.vibecraft.pipeline.analysis.Section;
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
        @Schema(nullable = true) String fallbackReason) {
}
