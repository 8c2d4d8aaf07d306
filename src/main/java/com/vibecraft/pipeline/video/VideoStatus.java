package com.vibecraft.pipeline.video;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.OffsetDateTime;

/**
 * Where a song's music video stands (SPEC §10): none (no clips), waiting (clips not all completed, or a
 * composition is due), composing, composed (up to date with the clips), stale (a clip changed since: the
 * old video is still served), failed (the last composition failed; an older video may still be served).
 */
public enum VideoStatus {
    NONE, WAITING, COMPOSING, COMPOSED, STALE, FAILED;

    @JsonValue
    public String value() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The status from what is stored: the video row's state ({@code null} without a row), whether a
     * video file is recorded, the clip stamps the video and the last failure were made from, and the
     * song's clips now (how many, and the latest change of any of them).
     */
    public static VideoStatus derive(String state, boolean hasFile, OffsetDateTime composedStamp,
                                     OffsetDateTime failedStamp, int clipsTotal, OffsetDateTime clipsStamp) {
        if ("composing".equals(state)) {
            return COMPOSING;
        }
        if ("failed".equals(state) && upToDate(failedStamp, clipsStamp)) {
            return FAILED;
        }
        if (hasFile) {
            return upToDate(composedStamp, clipsStamp) ? COMPOSED : STALE;
        }
        return clipsTotal == 0 ? NONE : WAITING;
    }

    /** Made from the clips as they are now: no clip changed after {@code stamp}. */
    private static boolean upToDate(OffsetDateTime stamp, OffsetDateTime clipsStamp) {
        return stamp != null && (clipsStamp == null || !clipsStamp.isAfter(stamp));
    }
}
