package com.vibecraft.pipeline.support;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for a condition by polling it, up to a deadline: for tests, instead of sleeping a fixed time.
 * The one polling helper of the suite; the waits that remain are for time itself to pass (a lease
 * or a backoff that must run out, a moment in which nothing may happen).
 */
public final class Await {

    private Await() {
    }

    /** Polls {@code condition} every {@code pollMs} until it holds; fails with {@code what} after {@code timeout}. */
    public static void until(Duration timeout, long pollMs, Callable<Boolean> condition, Supplier<String> what)
            throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.call()) {
                return;
            }
            if (System.nanoTime() >= end) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what.get());
            }
            Thread.sleep(pollMs);
        }
    }

    public static void until(Duration timeout, Callable<Boolean> condition, String what) throws Exception {
        until(timeout, 50, condition, () -> what);
    }

    /**
     * Polls {@code probe} every {@code pollMs} until {@code done} holds for what it returns, and returns
     * that; fails after {@code timeout} with {@code what} and the last value seen. A probe that
     * returns null (not there yet) is polled again.
     */
    public static <T> T value(Duration timeout, long pollMs, Supplier<T> probe, Predicate<T> done, String what) {
        long end = System.nanoTime() + timeout.toNanos();
        T last = null;
        while (true) {
            T v = probe.get();
            if (v != null) {
                last = v;
                if (done.test(v)) {
                    return v;
                }
            }
            if (System.nanoTime() >= end) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for: " + what
                        + "; last seen: " + last);
            }
            try {
                Thread.sleep(pollMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what, e);
            }
        }
    }
}
