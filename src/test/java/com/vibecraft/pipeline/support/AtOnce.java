package com.vibecraft.pipeline.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Tasks released together, each on its own thread, to race for the same rows or keys. */
public final class AtOnce {

    private AtOnce() {
    }

    /** Starts every task at the same moment; their futures in the tasks' order. */
    public static <T> List<Future<T>> start(List<Callable<T>> tasks) {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        for (Callable<T> task : tasks) {
            futures.add(pool.submit(() -> {
                go.await();
                return task.call();
            }));
        }
        go.countDown();
        // the submitted tasks still run; the threads end with them
        pool.shutdown();
        return futures;
    }
}
