package com.vibecraft.pipeline.flow;

import com.vibecraft.pipeline.clips.ClipJob;
import java.util.List;
import java.util.UUID;

/** A committed plan's jobs on their way to the stream (routes/40-clips-enqueue.camel.yaml, send-plan-jobs). */
public record PlanJobs(UUID songId, UUID planId, List<ClipJob> jobs) {
}
