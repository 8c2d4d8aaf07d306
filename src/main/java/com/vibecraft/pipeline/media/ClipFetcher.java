package com.vibecraft.pipeline.media;

import java.nio.file.Path;

/**
 * Makes a clip's video a local file: a URL of this service's own clip files
 * ({@code <ownBaseUrl>/api/v1/clips/<id>/video}) is read from {@code ownClipsDir/<id>.mp4}; any other
 * http(s) URL is downloaded into {@code workDir} within {@link ClipLimits#fetchTimeout()} and
 * {@link ClipLimits#maxBytes()}.
 */
public final class ClipFetcher {

    private final String ownBaseUrl;
    private final Path ownClipsDir;
    private final ClipLimits limits;

    public ClipFetcher(String ownBaseUrl, Path ownClipsDir, ClipLimits limits) {
        this.ownBaseUrl = ownBaseUrl;
        this.ownClipsDir = ownClipsDir;
        this.limits = limits;
    }

    /** The clip's file: the own file, or a download in {@code workDir} (the caller deletes workDir). */
    public Path fetch(int clipIndex, String clipId, String videoUrl, Path workDir)
            throws ClipMediaException, InterruptedException {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
