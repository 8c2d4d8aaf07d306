package com.vibecraft.pipeline.analysis;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** How a song (or a section) feels, from measurable properties of its sound; README "Mood" defines each value. */
@Schema(description = "Mood values in [0, 1] computed from loudness, onsets, brightness, mode, beat strength and "
        + "dissonance (README \"Key, mood and genre\"), plus tags derived from them by fixed thresholds")
public record Mood(
        @Schema(description = "Loudness, density of attacks and brightness", example = "0.71") double energy,
        @Schema(description = "Major mode, brightness, tempo and consonance: high is happy, low sad", example = "0.58")
        double valence,
        @Schema(description = "Beat strength, a bass pulse, a steady tempo near 120 BPM", example = "0.66")
        double danceability,
        @Schema(description = "Dissonance, minor mode, loudness swings and noisy (unclear) pitch", example = "0.32")
        double tension,
        @Schema(description = "Tags from the values, strongest first (at most three)",
                example = "[\"energetic\", \"danceable\"]")
        List<String> tags) {

    public Mood {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
