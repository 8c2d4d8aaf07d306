package com.vibecraft.pipeline.media;

/**
 * A clip's own defect: its file is missing, empty, corrupt, of a codec we cannot decode, too large,
 * too long, or its URL could not be fetched. The message names the clip; retrying that clip is the
 * remedy.
 */
public class ClipMediaException extends Exception {

    private final int clipIndex;
    private final String clipId;

    public ClipMediaException(ClipSlot slot, String reason) {
        this(slot.clipIndex(), slot.clipId(), reason, null);
    }

    public ClipMediaException(int clipIndex, String clipId, String reason, Throwable cause) {
        super("Clip " + (clipIndex + 1) + " (" + clipId + "): " + reason, cause);
        this.clipIndex = clipIndex;
        this.clipId = clipId;
    }

    public int clipIndex() {
        return clipIndex;
    }

    public String clipId() {
        return clipId;
    }
}
