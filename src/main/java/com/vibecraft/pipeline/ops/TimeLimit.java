package com.vibecraft.pipeline.ops;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a probe (a database query, a Redis command) with a deadline, so a readiness request answers
 * in time even when a peer hangs instead of refusing: a pool waiting for a connection or a socket
 * without a reply would otherwise hold the request for the pool's own, much longer timeout.
 */
final class TimeLimit {

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService PROBES = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "health-probe-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private TimeLimit() {
    }

    static <T> T call(Callable<T> probe, long timeoutMs) throws Exception {
        Future<T> f = PROBES.submit(probe);
        try {
            return f.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new TimeoutException("no answer within " + timeoutMs + " ms");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    /** The innermost message of a failure, for a health detail (never a stack trace). */
    static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }
}
