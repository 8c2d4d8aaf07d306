package com.vibecraft.pipeline.media;

import java.nio.file.Path;

/**
 * One clip's place in the video: its file (already local) and the slice of the song it covers. The
 * clip starts on the output frame nearest {@code startSec}; its video is held or cut to fill the slot
 * up to the next clip's start (or the song's end).
 *
 * @param clipIndex the clip's index in the song's plan (0-based), named in errors
 * @param clipId    the clip's id, named in errors
 */
public record ClipSlot(int clipIndex, String clipId, Path file, double startSec, double endSec) {

    /** How errors name this clip: "clip 3 (id …)". */
    public String label() {
        return "clip " + (clipIndex + 1) + " (" + clipId + ")";
    }
}
