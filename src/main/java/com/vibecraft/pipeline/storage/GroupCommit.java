package com.vibecraft.pipeline.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * Group commit: writes that many threads ask for at the same moment go to the database together, in
 * one transaction, instead of one commit each. With an embedded H2 that writes every commit before
 * answering, a commit costs more than the rows in it, so a burst of plans spent most of its time
 * committing.
 *
 * The caller that finds no batch running writes everything waiting (its own item included); callers
 * arriving meanwhile wait for it and then write theirs together. A lone caller writes at once, so
 * nothing waits for a timer. Every caller returns only when its own item is committed (or failed).
 * If a batch fails and held more than one item, each item is written alone, so one item's defect
 * cannot fail the others; when the database is out of reach the whole batch fails at once (trying
 * each item alone would only wait for the connection timeout once per item).
 *
 * @param <I> what one caller asks to write
 * @param <O> what it gets back
 */
public final class GroupCommit<I, O> {

    private final int maxBatch;
    private final Function<List<I>, List<O>> writeAll;
    private final ConcurrentLinkedQueue<Waiting<I, O>> waiting = new ConcurrentLinkedQueue<>();
    private final Semaphore writers;

    /**
     * @param writers  most batches written at the same time
     * @param maxBatch most items in one transaction
     * @param writeAll writes the items in one transaction and returns one result per item, in their order
     */
    public GroupCommit(int writers, int maxBatch, Function<List<I>, List<O>> writeAll) {
        if (writers < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("writers and maxBatch must be at least 1, got " + writers + " and "
                    + maxBatch);
        }
        this.writers = new Semaphore(writers);
        this.maxBatch = maxBatch;
        this.writeAll = writeAll;
    }

    /** Writes the item with whatever else is waiting; returns its result or throws what writing it threw. */
    public O write(I item) {
        Waiting<I, O> mine = new Waiting<>(item);
        waiting.add(mine);
        while (!mine.taken) {
            writers.acquireUninterruptibly();
            try {
                // another writer may have taken this item while this caller waited for its turn
                if (!mine.taken) {
                    writeWaiting();
                }
            } finally {
                writers.release();
            }
        }
        mine.await();
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.result;
    }

    /** Items waiting for a writer to take them. */
    int waitingCount() {
        return waiting.size();
    }

    private void writeWaiting() {
        List<Waiting<I, O>> batch = new ArrayList<>();
        Waiting<I, O> next;
        while (batch.size() < maxBatch && (next = waiting.poll()) != null) {
            next.taken = true;
            batch.add(next);
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            complete(batch, writeAll.apply(batch.stream().map(w -> w.item).toList()));
        } catch (RuntimeException batchFailure) {
            if (batch.size() == 1 || Jdbc.isConnectionFault(batchFailure)) {
                batch.forEach(w -> w.fail(batchFailure));
                return;
            }
            for (Waiting<I, O> w : batch) {
                try {
                    complete(List.of(w), writeAll.apply(List.of(w.item)));
                } catch (RuntimeException alone) {
                    w.fail(alone);
                }
            }
        } catch (Error e) {
            batch.forEach(w -> w.fail(new IllegalStateException("writing the batch failed: " + e, e)));
            throw e;
        }
    }

    private static <I, O> void complete(List<Waiting<I, O>> batch, List<O> results) {
        if (results.size() != batch.size()) {
            throw new IllegalStateException("a batch of " + batch.size() + " items gave " + results.size() + " results");
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).succeed(results.get(i));
        }
    }

    private static final class Waiting<I, O> {
        final I item;
        final CountDownLatch written = new CountDownLatch(1);
        // set by the writer that took the item into its batch
        volatile boolean taken;
        O result;
        RuntimeException failure;

        Waiting(I item) {
            this.item = item;
        }

        void succeed(O value) {
            result = value;
            written.countDown();
        }

        void fail(RuntimeException e) {
            failure = e;
            written.countDown();
        }

        void await() {
            boolean interrupted = false;
            while (true) {
                try {
                    written.await();
                    break;
                } catch (InterruptedException e) {
                    // the item is in a batch already: its outcome comes, and the caller must learn it
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
