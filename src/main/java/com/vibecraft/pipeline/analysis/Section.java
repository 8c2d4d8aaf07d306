package com.vibecraft.pipeline.analysis;

/** A named section of a song, the output of {@link SectionInference} (SPEC §4.9). */
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
        double energy) {
}
