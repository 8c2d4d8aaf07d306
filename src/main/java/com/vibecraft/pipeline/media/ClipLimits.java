package com.vibecraft.pipeline.media;

import java.time.Duration;

/**
 * What a clip may be: at most {@code maxBytes} bytes and {@code maxDurationSec} seconds of video, and
 * fetched from a URL within {@code fetchTimeout}. Anything beyond fails the composition naming the clip.
 */
public record ClipLimits(long maxBytes, double maxDurationSec, Duration fetchTimeout) {

    public ClipLimits {
        if (maxBytes < 1 || maxDurationSec <= 0 || fetchTimeout == null || fetchTimeout.isNegative() || fetchTimeout.isZero()) {
            throw new IllegalArgumentException("Clip limits must be positive: " + maxBytes + " bytes, " + maxDurationSec
                    + " s, fetch timeout " + fetchTimeout);
        }
    }

    /** 200 MB, 120 s, 60 s. */
    public static ClipLimits defaults() {
        return new ClipLimits(200L * 1024 * 1024, 120, Duration.ofSeconds(60));
    }
}
