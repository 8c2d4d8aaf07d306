package com.vibecraft.pipeline.clips;

/** Turns one clip job into a video. Implementations must be safe to call again for the same job. */
public interface ClipGenerator {

    GeneratedClip generate(ClipJob job) throws Exception;
}
