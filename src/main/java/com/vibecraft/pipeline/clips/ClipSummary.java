package com.vibecraft.pipeline.clips;

import java.util.List;
import java.util.UUID;

/**
 * {@code GET /songs/{id}/clips/status}. {@code progressCompleted}/{@code progressTotal} are seconds of
 * video: the duration of the completed clips, and of all clips.
 */
public record ClipSummary(
        UUID songId,
        double songDurationSec,
        int totalClips,
        int completedClips,
        int failedClips,
        int processingClips,
        int queuedClips,
        double progressCompleted,
        double progressTotal,
        List<Clip> clips) {

    public static ClipSummary of(UUID songId, double songDurationSec, List<Clip> clips) {
        int completed = 0;
        int failed = 0;
        int processing = 0;
        int queued = 0;
        double done = 0;
        double total = 0;
        for (Clip c : clips) {
            total += c.durationSec();
            switch (c.status()) {
                case COMPLETED -> {
                    completed++;
                    done += c.durationSec();
                }
                case FAILED -> failed++;
                case PROCESSING -> processing++;
                case QUEUED -> queued++;
            }
        }
        return new ClipSummary(songId, songDurationSec, clips.size(), completed, failed, processing, queued,
                round3(done), round3(total), clips);
    }

    private static double round3(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
