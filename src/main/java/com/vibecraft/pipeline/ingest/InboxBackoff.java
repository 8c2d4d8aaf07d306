package com.vibecraft.pipeline.ingest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Inbox files hit by a passing fault (the database or Redis away, the disk briefly unusable) stay in
 * the inbox and are taken again after a back-off that doubles from {@code baseMs} up to {@code maxMs};
 * only a file's own defects send it to {@code .failed/}.
 */
public final class InboxBackoff {

    private record Waiting(int failures, long dueAtMillis) {
    }

    private final long baseMs;
    private final long maxMs;
    private final LongSupplier clock;
    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();

    public InboxBackoff(long baseMs, long maxMs) {
        this(baseMs, maxMs, System::currentTimeMillis);
    }

    InboxBackoff(long baseMs, long maxMs, LongSupplier clock) {
        if (baseMs <= 0 || maxMs < baseMs) {
            throw new IllegalArgumentException("the inbox back-off needs 0 < base <= max, got " + baseMs + " and " + maxMs
                    + " ms");
        }
        this.baseMs = baseMs;
        this.maxMs = maxMs;
        this.clock = clock;
    }

    /** Whether the file may be taken now (never failed, or its back-off is over). */
    public boolean isDue(String file) {
        Waiting w = waiting.get(file);
        return w == null || clock.getAsLong() >= w.dueAtMillis();
    }

    /** The file met a passing fault: it waits longer each time, at most {@code maxMs}. Returns the wait. */
    public long failed(String file) {
        Waiting w = waiting.merge(file, new Waiting(1, 0), (old, one) -> new Waiting(old.failures() + 1, 0));
        long delay = Math.min(maxMs, baseMs << Math.min(30, w.failures() - 1));
        waiting.put(file, new Waiting(w.failures(), clock.getAsLong() + delay));
        return delay;
    }

    /** The file was taken in or refused for its own defects: its back-off is over. */
    public void forget(String file) {
        waiting.remove(file);
    }

    /** How often the file has met a passing fault since it was last taken in. */
    public int failures(String file) {
        Waiting w = waiting.get(file);
        return w == null ? 0 : w.failures();
    }
}
