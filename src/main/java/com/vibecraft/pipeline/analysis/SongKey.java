package com.vibecraft.pipeline.analysis;

import io.swagger.v3.oas.annotations.media.Schema;

/** The key of a song: tonic and mode, and how clearly it won over the other 23 keys. */
@Schema(description = "The song's key (tonic and major/minor mode) from its pitch-class profile")
public record SongKey(
        @Schema(description = "Tonic and mode, flats for black keys", example = "Db minor") String name,
        @Schema(description = "The tonic", example = "Db") String tonic,
        @Schema(description = "major or minor", example = "minor", allowableValues = {"major", "minor"}) String mode,
        @Schema(description = "How clearly this key won over the runner-up, 0–1", example = "0.41") double confidence) {
}
