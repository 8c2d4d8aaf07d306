package com.vibecraft.pipeline.media;

import java.nio.file.Path;

/**
 * A finished video: where it is and what it is.
 *
 * @param streamCopied true when the clips' video was copied without re-encoding
 */
public record ComposedVideo(Path file, double durationSec, int width, int height, int fps, long sizeBytes,
                            long frames, boolean streamCopied, double wallSec) {
}
