package com.vibecraft.pipeline.clips;

/**
 * One clip as {@link ClipPlanner} cuts it: a piece of one section, on the 1/8 s frame grid.
 *
 * @param startBeat index into the song's beat list of the beat at (or nearest after) the start, or null without beats
 * @param endBeat   index of the beat at (or nearest before) the end, or null
 */
public record PlannedClip(
        String sectionId,
        double startSec,
        double endSec,
        Integer startBeat,
        Integer endBeat,
        int fps,
        int numFrames) {

    public double durationSec() {
        return endSec - startSec;
    }
}
