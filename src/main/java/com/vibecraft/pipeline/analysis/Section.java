package com.vibecraft.pipeline.analysis;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A named section of a song, the output of {@link SectionInference} (SPEC §4.9), described by
 * {@link SongDescriber}: its key, its own energy level and mood tags.
 */
public record Section(
        String id,
        int index,
        String type,
        String typeSoft,
        String displayName,
        int rawLabel,
        int repetitionGroup,
        double startSec,
        double endSec,
        double confidence,
        double energy,
        @Schema(nullable = true, description = "The section's key, e.g. \"A minor\": the song's key unless the "
                + "section clearly modulates; null when nothing sounds in it", example = "A minor")
        String key,
        @Schema(description = "The section's energy on the mood scale, 0–1 (see mood.energy)", example = "0.62")
        double energyLevel,
        @Schema(description = "Mood tags of the section alone (same rules as the song's)", example = "[\"energetic\"]")
        List<String> moodTags) {

    public Section {
        moodTags = moodTags == null ? List.of() : List.copyOf(moodTags);
    }

    /** A section not (yet) described: no key, energy level 0, no mood tags. */
    public Section(String id, int index, String type, String typeSoft, String displayName, int rawLabel,
                   int repetitionGroup, double startSec, double endSec, double confidence, double energy) {
        this(id, index, type, typeSoft, displayName, rawLabel, repetitionGroup, startSec, endSec, confidence, energy,
                null, 0.0, List.of());
    }

    /** This section with its description. */
    public Section described(String sectionKey, double sectionEnergyLevel, List<String> tags) {
        return new Section(id, index, type, typeSoft, displayName, rawLabel, repetitionGroup, startSec, endSec,
                confidence, energy, sectionKey, sectionEnergyLevel, tags);
    }
}
