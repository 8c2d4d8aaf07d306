package com.vibecraft.pipeline.audio;

import java.util.Locale;

/** The audio is longer than the configured limit; HTTP 422. */
public class AudioTooLongException extends UndecodableAudioException {

    private final double durationSec;
    private final double limitSec;
    private final boolean exact;

    /**
     * @param durationSec the duration, or when {@code exact} is false a lower bound of it (decoding
     *                    stops as soon as the limit is passed)
     */
    public AudioTooLongException(double durationSec, double limitSec, boolean exact) {
        super(String.format(Locale.ROOT, exact
                        ? "The audio is %.1f s long, longer than the limit of %.0f s."
                        : "The audio is longer than the limit of %2$.0f s (decoding stopped at %1$.1f s).",
                durationSec, limitSec));
        this.durationSec = durationSec;
        this.limitSec = limitSec;
        this.exact = exact;
    }

    public double durationSec() {
        return durationSec;
    }

    public double limitSec() {
        return limitSec;
    }

    /** Whether {@link #durationSec()} is the whole duration rather than a lower bound. */
    public boolean isExact() {
        return exact;
    }
}
