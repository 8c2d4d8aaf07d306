package com.vibecraft.pipeline.clips;

/** A planned clip with everything its row needs, before it is stored. */
public record ClipDraft(PlannedClip plan, String sectionType, String sectionDisplayName, String prompt) {
}
