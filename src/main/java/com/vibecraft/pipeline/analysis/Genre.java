package com.vibecraft.pipeline.analysis;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A heuristic genre: fixed rules over tempo, rhythm and timbre statistics, not a model trained on
 * labelled music (none is available); README "Genre" lists the rules.
 */
@Schema(description = "A HEURISTIC genre guess from tempo, rhythm and timbre statistics (fixed rules, not trained "
        + "on labelled music): a primary genre and up to two secondary ones, each with its share of the rules' score")
public record Genre(
        @Schema(description = "The best-scoring genre", example = "electronic",
                allowableValues = {"electronic", "rock", "hip-hop", "pop", "classical", "ambient"})
        String primary,
        @Schema(description = "The primary genre's share of the total score, 0–1", example = "0.46") double confidence,
        @Schema(description = "Up to two runners-up with a share of at least 0.15") List<GenreGuess> secondary) {

    public Genre {
        secondary = secondary == null ? List.of() : List.copyOf(secondary);
    }

    /** A runner-up genre. */
    public record GenreGuess(
            @Schema(example = "pop") String name,
            @Schema(description = "Share of the total score, 0–1", example = "0.21") double confidence) {
    }
}
