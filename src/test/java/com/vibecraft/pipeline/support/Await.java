package com.vibecraft.pipeline.support;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** Waits for a condition by polling it, up to a deadline: for tests, instead of sleeping a fixed time. */
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
}
