package com.vibecraft.pipeline.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vibecraft.pipeline.clips.ClipDraft;
import com.vibecraft.pipeline.clips.ClipJob;
import com.vibecraft.pipeline.clips.ClipJobQueue;
import com.vibecraft.pipeline.clips.ClipJobQueue.Delivery;
import com.vibecraft.pipeline.clips.ClipJobQueue.Pending;
import com.vibecraft.pipeline.clips.ClipLinks;
import com.vibecraft.pipeline.clips.ClipRepository;
import com.vibecraft.pipeline.clips.ClipStatus;
import com.vibecraft.pipeline.clips.GeneratedClip;
import com.vibecraft.pipeline.clips.PlannedClip;
import com.vibecraft.pipeline.clips.RetryPolicy;
import com.vibecraft.pipeline.song.NewSong;
import com.vibecraft.pipeline.song.SongRepository;
import com.vibecraft.pipeline.support.Await;
import com.vibecraft.pipeline.support.TestEnvironment;
import com.vibecraft.pipeline.support.TestRedis;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.params.XClaimParams;
import redis.clients.jedis.params.XPendingParams;
import redis.clients.jedis.resps.StreamPendingEntry;

/**
 * The built-in worker's slots against a real Redis and database: a job Redis counts as delivered to
 * the worker but that no slot works on (cut off by a forced stop on its way to a slot, or left by an
 * earlier run under the same consumer name) is taken again within seconds instead of waiting for the
 * visibility timeout, and a job that has begun is never handed out twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClipWorkerStepsTest {

    static final String WORKER = "worker-under-test";

    HikariDataSource ds;
    TestRedis redis;
    CamelContext camel = new DefaultCamelContext();
    SongRepository songs;
    ClipRepository clips;
    ClipLinks links = new ClipLinks("http://localhost:8080");
    ClipJobQueue queue;
    String prefix;

    @BeforeAll
    void start() throws Exception {
        ds = TestEnvironment.database(TestEnvironment.prepare("workersteps", Map.of()), 4);
        songs = new SongRepository(ds);
        clips = new ClipRepository(ds, new RetryPolicy(3, Duration.ofSeconds(1), 2, Duration.ofSeconds(10), 0));
        redis = TestRedis.start();
    }

    @AfterAll
    void stop() {
        redis.close();
        ds.close();
    }

    @BeforeEach
    void freshStream() {
        prefix = "workersteps-" + UUID.randomUUID();
        queue = new ClipJobQueue(redis.jedis(), prefix);
        queue.ensureGroups();
    }

    /** {@code n} queued clips of a new song, their jobs on the stream. */
    private List<ClipJob> enqueued(int n) {
        UUID songId = UUID.randomUUID();
        songs.insert(new NewSong(songId, "t", "t.wav", "audio/wav", "wav", 1, songId.toString().replace("-", "")
                + "0".repeat(32), "audio/" + songId + ".wav", n * 4.0));
        List<ClipDraft> drafts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            drafts.add(new ClipDraft(new PlannedClip("s1", i * 4.0, i * 4.0 + 4, i * 2, i * 2 + 2, 8, 32),
                    "verse", "Verse 1", "Verse 1, shot " + i));
        }
        List<ClipJob> jobs = clips.planClips(songId, drafts, false).clips().stream().map(links::job).toList();
        jobs.forEach(queue::enqueue);
        return jobs;
    }

    private ClipWorkerSteps worker(int slots, long lostAfterMs) {
        return worker(queue, slots, lostAfterMs);
    }

    private ClipWorkerSteps worker(ClipJobQueue q, int slots, long lostAfterMs) {
        return new ClipWorkerSteps(q, clips, WORKER, slots, lostAfterMs, 0);
    }

    /** This test's queue, but running {@code meanwhile} as the worker claims an entry again. */
    private ClipJobQueue queueWhoseRetake(Runnable meanwhile) {
        return new ClipJobQueue(redis.jedis(), prefix) {
            @Override
            public Optional<Delivery<ClipJob>> retakeJob(String consumer, Pending pending) {
                meanwhile.run();
                return super.retakeJob(consumer, pending);
            }
        };
    }

    /**
     * {@code n} new jobs read by this worker's consumer name in an earlier run that died a minute ago:
     * delivered, never acknowledged, idle since.
     */
    private List<Delivery<ClipJob>> leftBehind(int n) {
        List<Delivery<ClipJob>> read = queue.readJobs(WORKER, n, 0);
        redis.jedis().xclaim(queue.jobsKey(), ClipJobQueue.WORKER_GROUP, WORKER, 0,
                XClaimParams.xClaimParams().idle(60_000).retryCount(1),
                read.stream().map(d -> new StreamEntryID(d.entryId())).toArray(StreamEntryID[]::new));
        return read;
    }

    /** The generator made the exchange's clip: its result is published, the job acknowledged, the slot freed. */
    private static void settle(ClipWorkerSteps worker, Exchange begun) {
        begun.getMessage().setBody(new GeneratedClip("http://localhost/clip.mp4"));
        worker.finished(begun);
        worker.release(begun);
    }

    /** Takes until something comes (each empty take waits at most a quarter second). */
    private static List<Delivery<ClipJob>> nextTaken(ClipWorkerSteps worker) {
        return Await.value(Duration.ofSeconds(10), 1, () -> {
            try {
                List<Delivery<ClipJob>> t = worker.take();
                return t.isEmpty() ? null : t;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, t -> t != null, "a take with jobs");
    }

    private Exchange exchangeFor(Delivery<ClipJob> d) {
        Exchange e = new DefaultExchange(camel);
        e.getMessage().setBody(d);
        return e;
    }

    private List<StreamPendingEntry> pendingOf(String consumer) {
        return redis.jedis().xpending(queue.jobsKey(), ClipJobQueue.WORKER_GROUP,
                XPendingParams.xPendingParams().count(100).consumer(consumer));
    }

    private List<StreamPendingEntry> ownPending() {
        return pendingOf(WORKER);
    }

    private long pendingFor(String consumer) {
        return pendingOf(consumer).size();
    }

    private static List<UUID> jobIds(List<Delivery<ClipJob>> ds) {
        return ds.stream().map(d -> d.message().jobId()).toList();
    }

    @Test
    void jobsLeftByAnEarlierRunUnderTheSameNameAreTakenFirstAsSlotsAllow() throws Exception {
        List<ClipJob> jobs = enqueued(3);
        // an earlier run of this worker read all three and died before starting them
        assertEquals(3, leftBehind(3).size());

        ClipWorkerSteps worker = worker(2, 60_000);
        List<Delivery<ClipJob>> first = nextTaken(worker);
        assertEquals(jobIds(first), List.of(jobs.get(0).jobId(), jobs.get(1).jobId()), "oldest first, one per slot");
        assertEquals(0, worker.freeSlots());

        Exchange one = exchangeFor(first.get(0));
        one.setProperty(FlowProperties.CLIP_JOB, worker.begin(one));
        assertEquals(ClipStatus.PROCESSING, clips.find(jobs.get(0).clipId()).orElseThrow().status());
        settle(worker, one);
        assertEquals(1, worker.freeSlots());
        assertEquals(2, pendingFor(WORKER), "the finished job is acknowledged");

        List<Delivery<ClipJob>> second = nextTaken(worker);
        assertEquals(List.of(jobs.get(2).jobId()), jobIds(second), "the third, once a slot freed");
        assertEquals(0, worker.freeSlots());
    }

    @Test
    void aJobLostOnItsWayToASlotIsDeliveredAgainInTheSameSlot() throws Exception {
        ClipJob job = enqueued(1).get(0);
        ClipWorkerSteps worker = worker(2, 300);
        List<Delivery<ClipJob>> taken = worker.take();
        assertEquals(List.of(job.jobId()), jobIds(taken));
        Delivery<ClipJob> lost = taken.get(0);
        assertEquals(1, worker.freeSlots());

        // never begun (its exchange was rejected by a stopped route): after 300 ms it comes back
        Delivery<ClipJob> again = nextTaken(worker).get(0);
        assertEquals(lost.entryId(), again.entryId());
        assertNotSame(lost, again);
        assertEquals(1, worker.freeSlots(), "it keeps the slot it held");

        // the old copy, should it still turn up, is skipped and left alone: the job is not acknowledged
        Exchange stale = exchangeFor(lost);
        assertNull(worker.begin(stale));
        assertTrue(stale.getProperty(ClipWorkerSteps.SKIP, Boolean.class));
        worker.release(stale);
        assertEquals(1, worker.freeSlots(), "a stale copy frees nothing");
        assertEquals(1, pendingFor(WORKER));

        Exchange current = exchangeFor(again);
        assertEquals(job.jobId(), worker.begin(current).jobId());
        assertEquals(ClipStatus.PROCESSING, clips.find(job.clipId()).orElseThrow().status());
        worker.release(current);
        assertEquals(2, worker.freeSlots());
    }

    @Test
    void aJobThatHasBegunIsNeverHandedOutTwice() throws Exception {
        ClipJob job = enqueued(1).get(0);
        ClipWorkerSteps worker = worker(1, 0);
        Delivery<ClipJob> d = worker.take().get(0);
        Exchange running = exchangeFor(d);
        assertEquals(job.jobId(), worker.begin(running).jobId());

        long begun = System.nanoTime();
        // a long generation: however often the worker looks, its own pending job is not taken again,
        // nor touched: its idle time keeps growing towards the visibility timeout
        for (int i = 0; i < 3; i++) {
            assertEquals(List.of(), worker.take());
        }
        assertEquals(0, worker.freeSlots());
        StreamPendingEntry p = ownPending().get(0);
        assertEquals(d.entryId(), p.getID().toString());
        assertEquals(1, p.getDeliveredTimes());
        assertTrue(p.getIdleTime() >= (System.nanoTime() - begun) / 1_000_000 - 50, "idle " + p.getIdleTime() + " ms");
        worker.release(running);
        assertEquals(1, worker.freeSlots());
    }

    @Test
    void aLostJobThatAnotherInstanceReclaimedFreesItsSlot() throws Exception {
        ClipJob job = enqueued(1).get(0);
        ClipWorkerSteps worker = worker(1, 300);
        Delivery<ClipJob> lost = worker.take().get(0);
        assertEquals(0, worker.freeSlots());
        // before this worker notices, another instance's reclaimer takes the job over
        assertEquals(List.of(job.jobId()), jobIds(queue.reclaimStalled("other-reclaimer", 0, 10)));

        Await.until(Duration.ofSeconds(10), () -> {
            assertEquals(List.of(), worker.take(), "the job is the other consumer's now");
            return worker.freeSlots() == 1;
        }, "the lost job's slot back");
        assertEquals(0, pendingFor(WORKER));
        Exchange stale = exchangeFor(lost);
        assertNull(worker.begin(stale), "the cut-off copy is not this worker's to run any more");
        assertEquals(1, worker.freeSlots());
    }

    @Test
    void aJobBegunAndNeverSettledIsTakenUpAgainByTheSameWorker() throws Exception {
        ClipJob job = enqueued(1).get(0);
        ClipWorkerSteps worker = worker(1, 60_000);
        Exchange cut = exchangeFor(worker.take().get(0));
        assertEquals(job.jobId(), worker.begin(cut).jobId());
        // its result could not be published (Redis away): the slot frees, the job stays unacknowledged
        worker.release(cut);
        assertEquals(1, pendingFor(WORKER));

        Exchange again = exchangeFor(nextTaken(worker).get(0));
        assertEquals(job.jobId(), worker.begin(again).jobId(), "the same worker carries on with its own job");
        assertEquals(false, again.getProperty(ClipWorkerSteps.SKIP, Boolean.class));
        assertEquals(ClipStatus.PROCESSING, clips.find(job.clipId()).orElseThrow().status());
        // another worker may not take it from the clip's worker
        assertEquals(false, clips.markProcessing(job.clipId(), job.jobId(), "another-worker"));
    }

    @Test
    void aLeftoverDeletedFromTheStreamEndsUpAcknowledged() throws Exception {
        enqueued(1);
        String entry = leftBehind(1).get(0).entryId();
        redis.jedis().xdel(queue.jobsKey(), new StreamEntryID(entry));

        ClipWorkerSteps worker = worker(1, 60_000);
        // Redis 7 drops a deleted entry from the pending list when it is claimed; an older one hands it
        // over without fields, and the worker acknowledges it as malformed
        Await.until(Duration.ofSeconds(10), () -> {
            for (Delivery<ClipJob> d : worker.take()) {
                Exchange e = exchangeFor(d);
                assertNull(worker.begin(e));
                worker.release(e);
            }
            return pendingFor(WORKER) == 0;
        }, "the deleted entry gone from the pending list");
        assertEquals(1, worker.freeSlots());
    }

    @Test
    void aJobWhoseStartFailedUnacknowledgedIsTakenAgain() throws Exception {
        ClipJob job = enqueued(1).get(0);
        ClipWorkerSteps worker = worker(1, 60_000);
        Delivery<ClipJob> d = worker.take().get(0);
        Exchange failed = exchangeFor(d);
        // the database was away when it began: the job stays unacknowledged and its slot frees
        failed.setProperty(ClipWorkerSteps.ENTRY_ID, d.entryId());
        failed.setProperty(ClipWorkerSteps.DELIVERY, d);
        failed.setProperty(Exchange.EXCEPTION_CAUGHT, new IllegalStateException("database away"));
        worker.failed(failed);
        worker.release(failed);
        assertEquals(1, worker.freeSlots());
        assertEquals(1, pendingFor(WORKER));

        assertEquals(List.of(job.jobId()), jobIds(nextTaken(worker)));
    }

    @Test
    void aLostJobsStaleCopyBeginningWhileItIsTakenAgainIsSkipped() throws Exception {
        ClipJob job = enqueued(1).get(0);
        Exchange[] stale = new Exchange[1];
        ClipWorkerSteps[] w = new ClipWorkerSteps[1];
        // the cut-off copy turns up at its slot just as the worker claims the job again
        w[0] = worker(queueWhoseRetake(() -> assertNull(w[0].begin(stale[0]))), 1, 300);
        Delivery<ClipJob> lost = w[0].take().get(0);
        stale[0] = exchangeFor(lost);

        Delivery<ClipJob> again = nextTaken(w[0]).get(0);
        assertNotSame(lost, again);
        assertTrue(stale[0].getProperty(ClipWorkerSteps.SKIP, Boolean.class), "the stale copy was skipped");
        Exchange current = exchangeFor(again);
        assertEquals(job.jobId(), w[0].begin(current).jobId(), "only the new delivery runs");
        assertEquals(0, w[0].freeSlots());
        w[0].release(stale[0]);
        assertEquals(0, w[0].freeSlots(), "the skipped copy frees nothing");
        w[0].release(current);
        assertEquals(1, w[0].freeSlots());
    }

    @Test
    void aRedisFaultWhileTakingJobsUpAgainKeepsEverySlot() throws Exception {
        enqueued(2);
        assertEquals(2, leftBehind(2).size());
        boolean[] down = {true};
        ClipWorkerSteps worker = worker(queueWhoseRetake(() -> {
            if (down[0]) {
                throw new JedisConnectionException("connection reset");
            }
        }), 2, 60_000);
        for (int i = 0; i < 3; i++) {
            assertEquals(List.of(), worker.take());
            assertEquals(2, worker.freeSlots(), "no slot lost to a failed claim");
        }
        down[0] = false;
        assertEquals(2, nextTaken(worker).size(), "both taken up once Redis answers");
        assertEquals(0, worker.freeSlots());
    }

    @Test
    void anEntryHandedOutAgainWhileItRunsIsNotTakenTwice() throws Exception {
        enqueued(1);
        ClipWorkerSteps worker = worker(2, 60_000);
        Exchange running = exchangeFor(worker.take().get(0));
        assertNotNull(worker.begin(running));
        // Redis back from a snapshot a second behind: the group forgot it delivered the entry
        redis.jedis().xgroupSetID(queue.jobsKey(), ClipJobQueue.WORKER_GROUP, new StreamEntryID(0, 0));
        assertEquals(List.of(), worker.take());
        assertEquals(1, worker.freeSlots());
        worker.release(running);
        assertEquals(2, worker.freeSlots());
    }

    @Test
    void aJobHandedToThisWorkerThreeTimesIsLeftToTheVisibilityTimeout() throws Exception {
        enqueued(1);
        String entry = leftBehind(1).get(0).entryId();
        // begun and never settled, twice (say the generator threw an Error each time)
        for (int i = 0; i < 2; i++) {
            assertEquals(entry, nextTaken(worker(1, 60_000)).get(0).entryId());
        }
        assertEquals(3, ownPending().get(0).getDeliveredTimes());
        ClipWorkerSteps worker = worker(1, 60_000);
        assertEquals(List.of(), worker.take(), "not taken a fourth time");
        assertEquals(1, worker.freeSlots());
        assertEquals(1, pendingFor(WORKER), "still pending, for the reclaimer");
    }

    @Test
    void aFreedSlotGoesToALeftoverBeforeANewJob() throws Exception {
        ClipWorkerSteps worker = worker(1, 60_000);
        enqueued(1);
        Exchange running = exchangeFor(worker.take().get(0));
        running.setProperty(FlowProperties.CLIP_JOB, worker.begin(running));
        // meanwhile a job is left to this consumer (an earlier run's), and a new one arrives
        List<ClipJob> two = enqueued(2);
        String leftover = leftBehind(1).get(0).entryId();
        assertEquals(List.of(), worker.take(), "no free slot");

        settle(worker, running);
        List<Delivery<ClipJob>> next = nextTaken(worker);
        assertEquals(1, next.size());
        assertEquals(leftover, next.get(0).entryId());
        assertEquals(two.get(0).jobId(), next.get(0).message().jobId());
    }
}
