package com.vibecraft.pipeline.api;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The multipart form of {@code POST /api/v1/songs}, for the OpenAPI document only: the REST DSL
 * names it as the body type; {@link SongApi#stageUpload} reads the parts themselves.
 */
@Schema(name = "SongUploadForm", requiredProperties = {"file"})
public record SongUploadForm(
        @Schema(type = "string", format = "binary", description = "The audio file: MP3, WAV, FLAC or Ogg Vorbis")
        byte[] file,
        @Schema(description = "A title; the file name when absent", nullable = true)
        String title) {
}
