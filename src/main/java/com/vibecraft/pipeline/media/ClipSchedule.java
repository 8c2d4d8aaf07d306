package com.vibecraft.pipeline.media;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each clip goes on the output's frame grid: clip i starts on frame round(startSec·fps) and runs
 * until the next clip's start frame (the last one until the song's last frame), so cuts never drift
 * across the song whatever the clips' own lengths. Frames before the first clip are black.
 *
 * @param totalFrames round(songDurationSec·fps): the video's length
 */
record ClipSchedule(List<Slot> slots, long totalFrames) {

    /** One clip's frames: output frames [startFrame, startFrame + frames). */
    record Slot(ClipSlot clip, long startFrame, long frames) {
    }

    static ClipSchedule of(List<ClipSlot> clips, double songDurationSec, int fps) {
        long total = Math.max(1, Math.round(songDurationSec * fps));
        long[] starts = new long[clips.size()];
        for (int i = 0; i < starts.length; i++) {
            long start = Math.round(Math.max(0, clips.get(i).startSec()) * fps);
            // clips out of order or starting past the song's end get no frames rather than rewinding time
            starts[i] = Math.min(total, Math.max(start, i == 0 ? 0 : starts[i - 1]));
        }
        List<Slot> slots = new ArrayList<>(clips.size());
        for (int i = 0; i < starts.length; i++) {
            long end = i + 1 < starts.length ? starts[i + 1] : total;
            slots.add(new Slot(clips.get(i), starts[i], end - starts[i]));
        }
        return new ClipSchedule(List.copyOf(slots), total);
    }
}
