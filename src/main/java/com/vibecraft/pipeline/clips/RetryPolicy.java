package com.vibecraft.pipeline.clips;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter for failed clips: the n-th failure waits
 * {@code base · factor^(n−1)} (at most {@code max}), ±{@code jitter} of it, so clips that failed
 * together do not all come back at once.
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, double factor, Duration maxDelay, double jitter) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0 || factor < 1 || jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("invalid backoff: base " + baseDelay + ", factor " + factor + ", max "
                    + maxDelay + ", jitter " + jitter);
        }
    }

    /** The wait after failed attempt number {@code attempt} (1-based). */
    public Duration delayAfter(int attempt) {
        double ms = baseDelay.toMillis() * Math.pow(factor, Math.max(0, attempt - 1));
        ms = Math.min(ms, maxDelay.toMillis());
        double spread = ms * jitter;
        ms += spread == 0 ? 0 : ThreadLocalRandom.current().nextDouble(-spread, spread);
        return Duration.ofMillis(Math.max(0, Math.round(ms)));
    }

    public boolean attemptsLeft(int attempts) {
        return attempts < maxAttempts;
    }
}
