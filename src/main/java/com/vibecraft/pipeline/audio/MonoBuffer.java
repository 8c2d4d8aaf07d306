package com.vibecraft.pipeline.audio;

import java.util.Arrays;

/**
 * Growable mono sample buffer for streaming decoders. Enforces the duration limit as samples
 * arrive, so a long file is rejected as soon as the limit is passed instead of after a full decode.
 */
final class MonoBuffer {

    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final AudioKind kind;
    private final float sampleRate;
    private final double maxDurationSec;
    private final double limitFrames;
    private float[] data;
    private int size;

    /**
     * @param extraFrames frames the caller will trim later (e.g. encoder delay): allowed beyond the limit
     */
    MonoBuffer(AudioKind kind, float sampleRate, double maxDurationSec, long extraFrames) {
        this(kind, sampleRate, maxDurationSec, extraFrames, 0);
    }

    /** @param expectedFrames how many samples the decoder expects (0: unknown); the first allocation */
    MonoBuffer(AudioKind kind, float sampleRate, double maxDurationSec, long extraFrames, long expectedFrames) {
        this.kind = kind;
        this.sampleRate = sampleRate;
        this.maxDurationSec = maxDurationSec;
        this.limitFrames = Math.min(maxDurationSec * sampleRate + extraFrames, MAX_ARRAY);
        long initial = expectedFrames > 0 ? expectedFrames : 1 << 20;
        this.data = new float[(int) Math.min(limitFrames + 1, initial)];
    }

    /** The backing array with room for {@code n} more samples from index {@link #size()}. */
    float[] reserve(int n) throws UndecodableAudioException {
        if (size + (long) n > data.length) {
            if (size + (long) n > MAX_ARRAY) {
                throw new UndecodableAudioException(AudioDecoder.failure(kind, "it is too long to hold in memory"));
            }
            long grown = Math.max(size + (long) n, size + (long) (size >> 1));
            data = Arrays.copyOf(data, (int) Math.min(grown, MAX_ARRAY));
        }
        return data;
    }

    /** Marks {@code n} reserved samples as written; throws once the limit is passed. */
    void commit(int n) throws AudioTooLongException {
        size += n;
        if (size > limitFrames) {
            throw new AudioTooLongException(size / (double) sampleRate, maxDurationSec, false);
        }
    }

    int size() {
        return size;
    }

    /** Samples {@code [from, to)}, clipped to what was decoded; reuses the array when it fits exactly. */
    float[] toArray(int from, int to) {
        to = Math.min(to, size);
        from = Math.min(from, to);
        return from == 0 && to == data.length ? data : Arrays.copyOfRange(data, from, to);
    }
}
