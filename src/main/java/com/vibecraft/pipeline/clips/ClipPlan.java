package com.vibecraft.pipeline.clips;

import java.util.List;
import java.util.UUID;

/**
 * A song's plan as committed: its id (the one row that records the plan's send, see
 * {@link ClipRepository#markPlanSent}) and its clips, each with a fresh job not yet sent.
 */
public record ClipPlan(UUID id, UUID songId, List<Clip> clips) {
}
