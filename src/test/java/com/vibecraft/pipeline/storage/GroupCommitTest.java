package com.vibecraft.pipeline.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vibecraft.pipeline.support.Await;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Group commit: callers at the same moment share one write, each gets its own result or failure. */
class GroupCommitTest {

    final ExecutorService pool = Executors.newFixedThreadPool(24);
    final List<List<Integer>> batches = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** Records each batch and answers ten times each item. */
    private Function<List<Integer>, List<Integer>> recorded(Function<List<Integer>, List<Integer>> write) {
        return items -> {
            batches.add(List.copyOf(items));
            return write.apply(items);
        };
    }

    private static List<Integer> times10(List<Integer> items) {
        return items.stream().map(i -> i * 10).toList();
    }

    /** Starts a caller for each item once the first batch is held, releases it, returns the callers' futures. */
    private List<Future<Integer>> burst(GroupCommit<Integer, Integer> commits, CountDownLatch firstHeld,
                                        CountDownLatch release, int callers) throws Exception {
        Future<Integer> first = pool.submit(() -> commits.write(-1));
        assertTrue(firstHeld.await(10, TimeUnit.SECONDS), "the first write started");
        List<Future<Integer>> rest = new ArrayList<>();
        CountDownLatch started = new CountDownLatch(callers);
        for (int i = 0; i < callers; i++) {
            int item = i;
            rest.add(pool.submit(() -> {
                started.countDown();
                return commits.write(item);
            }));
        }
        assertTrue(started.await(10, TimeUnit.SECONDS));
        // the callers are queued behind the held batch (the writer count is 1); give the last a moment to enqueue
        Await.until(Duration.ofSeconds(10), () -> commits.waitingCount() == callers, "all callers queued");
        release.countDown();
        assertEquals(-10, first.get(10, TimeUnit.SECONDS));
        return rest;
    }

    @Test
    void aLoneCallerWritesAtOnce() {
        GroupCommit<Integer, Integer> commits = new GroupCommit<>(1, 8, recorded(GroupCommitTest::times10));
        assertEquals(70, commits.write(7));
        assertEquals(List.of(List.of(7)), batches);
    }

    @Test
    void callersWaitingTogetherShareABatchAndEachGetsItsOwnResult() throws Exception {
        CountDownLatch firstHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<Integer, Integer> commits = new GroupCommit<>(1, 8, recorded(items -> {
            if (items.contains(-1)) {
                firstHeld.countDown();
                await(release);
            }
            return times10(items);
        }));
        List<Future<Integer>> callers = burst(commits, firstHeld, release, 20);
        for (int i = 0; i < callers.size(); i++) {
            assertEquals(i * 10, callers.get(i).get(10, TimeUnit.SECONDS), "caller " + i + "'s own result");
        }
        // the 20 waiting callers went in batches of at most 8: 3 batches after the first, not 20
        assertEquals(4, batches.size(), "batches: " + batches);
        assertTrue(batches.stream().allMatch(b -> b.size() <= 8), "no batch over the limit: " + batches);
        assertEquals(21, batches.stream().mapToInt(List::size).sum());
    }

    @Test
    void anItemThatFailsTheBatchFailsAloneAndTheOthersAreWritten() throws Exception {
        CountDownLatch firstHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        GroupCommit<Integer, Integer> commits = new GroupCommit<>(1, 8, recorded(items -> {
            if (items.contains(-1)) {
                firstHeld.countDown();
                await(release);
            }
            if (items.contains(3)) {
                throw new StorageException("Database transaction failed", new IllegalStateException("item 3 is bad"));
            }
            return times10(items);
        }));
        List<Future<Integer>> callers = burst(commits, firstHeld, release, 6);
        for (int i = 0; i < callers.size(); i++) {
            if (i == 3) {
                Exception e = assertThrows(Exception.class, () -> callers.get(3).get(10, TimeUnit.SECONDS));
                assertTrue(e.getCause().getMessage().contains("item 3 is bad"), e.toString());
            } else {
                assertEquals(i * 10, callers.get(i).get(10, TimeUnit.SECONDS), "caller " + i);
            }
        }
        // the failed batch of six, then each of its items alone
        assertTrue(batches.stream().anyMatch(b -> b.size() == 6 && b.containsAll(List.of(0, 1, 2, 3, 4, 5))),
                "batches: " + batches);
        assertTrue(batches.contains(List.of(3)) && batches.contains(List.of(5)), "batches: " + batches);
    }

    @Test
    void aDatabaseOutOfReachFailsTheWholeBatchAtOnce() throws Exception {
        CountDownLatch firstHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        StorageException away = new StorageException("Could not reach the database",
                new SQLTransientConnectionException("Connection is not available, request timed out after 2000ms."));
        GroupCommit<Integer, Integer> commits = new GroupCommit<>(1, 8, recorded(items -> {
            if (items.contains(-1)) {
                firstHeld.countDown();
                await(release);
                return times10(items);
            }
            throw away;
        }));
        List<Future<Integer>> callers = burst(commits, firstHeld, release, 5);
        for (Future<Integer> f : callers) {
            Exception e = assertThrows(Exception.class, () -> f.get(10, TimeUnit.SECONDS));
            assertSame(away, e.getCause());
        }
        // one attempt for the five: each alone would have waited out the connection timeout again
        assertEquals(2, batches.size(), "batches: " + batches);
        assertInstanceOf(StorageException.class, away);
    }

    @Test
    void twoWritersWriteTwoBatchesAtTheSameTime() throws Exception {
        CountDownLatch bothIn = new CountDownLatch(2);
        GroupCommit<Integer, Integer> commits = new GroupCommit<>(2, 8, recorded(items -> {
            bothIn.countDown();
            // each batch waits for the other: with one writer at a time this would never return
            await(bothIn);
            return times10(items);
        }));
        Future<Integer> a = pool.submit(() -> commits.write(1));
        Future<Integer> b = pool.submit(() -> commits.write(2));
        assertEquals(10, a.get(10, TimeUnit.SECONDS));
        assertEquals(20, b.get(10, TimeUnit.SECONDS));
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS), "released");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
