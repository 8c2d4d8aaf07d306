package com.vibecraft.pipeline.clips;

/** What a generator made: where the video can be fetched. */
public record GeneratedClip(String videoUrl) {
}
