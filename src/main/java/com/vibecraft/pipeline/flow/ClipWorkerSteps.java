package com.vibecraft.pipeline.flow;

import com.vibecraft.pipeline.clips.ClipJob;
import com.vibecraft.pipeline.clips.ClipJobQueue;
import com.vibecraft.pipeline.clips.ClipJobQueue.Delivery;
import com.vibecraft.pipeline.clips.ClipJobQueue.Pending;
import com.vibecraft.pipeline.clips.ClipRepository;
import com.vibecraft.pipeline.clips.ClipResult;
import com.vibecraft.pipeline.clips.GeneratedClip;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in worker (routes/50-clips-worker.camel.yaml) follows the same protocol as any external one:
 * read with XREADGROUP, generate, publish the result on the results stream, then XACK.
 */
public class ClipWorkerSteps {

    static final String ENTRY_ID = "clipJobEntryId";
    static final String SKIP = FlowProperties.CLIP_JOB_SKIP;
    static final String DELIVERY = "clipJobDelivery";

    private static final Logger LOG = LoggerFactory.getLogger(ClipWorkerSteps.class);

    private final ClipJobQueue queue;
    private final ClipRepository clips;
    private final String consumerName;
    /** The worker's free slots: a job holds one from {@link #take} until {@link #release}. */
    private final Semaphore slots;
    /** Jobs this worker holds a slot for, by stream entry id: each with the delivery that holds it. */
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final long lostAfterMs;
    private final long ownCheckEveryMs;
    /** When the next look at the leftovers is due (monotonic ms); MIN_VALUE: at the next take. */
    private volatile long nextOwnCheck = Long.MIN_VALUE;

    /** Set by a look at the leftovers that found one with no free slot: the next slot to free is theirs. */
    private volatile boolean leftoversWaiting;

    /**
     * A delivery holding a slot. Its state moves once, by compare-and-set, so that an exchange
     * beginning it and the scheduler taking it up again can never both win: TAKEN → BEGUN (an
     * exchange runs it), or TAKEN → RETAKING → replaced by a new delivery or given up (GONE).
     */
    private static final class Held {
        static final int TAKEN = 0;
        static final int BEGUN = 1;
        static final int RETAKING = 2;
        static final int GONE = 3;

        final Delivery<ClipJob> delivery;
        final long takenAt;
        final AtomicInteger state = new AtomicInteger(TAKEN);

        Held(Delivery<ClipJob> delivery, long takenAt) {
            this.delivery = delivery;
            this.takenAt = takenAt;
        }
    }

    public ClipWorkerSteps(ClipJobQueue queue, ClipRepository clips, String consumerName, int concurrency) {
        this(queue, clips, consumerName, concurrency, LOST_AFTER_MS, OWN_CHECK_EVERY_MS);
    }

    ClipWorkerSteps(ClipJobQueue queue, ClipRepository clips, String consumerName, int concurrency,
                    long lostAfterMs, long ownCheckEveryMs) {
        this.queue = queue;
        this.clips = clips;
        this.consumerName = consumerName;
        this.slots = new Semaphore(concurrency);
        this.lostAfterMs = lostAfterMs;
        this.ownCheckEveryMs = ownCheckEveryMs;
    }

    /**
     * How long one {@link #take} waits for a free slot, and then for the first job. Short, so that a
     * take in flight ends well inside any graceful stop of the worker's route.
     */
    static final long WAIT_MS = 250;
    /**
     * A job taken but not begun this long after was lost on its way to a slot (a forced stop of the
     * route rejected it): it is delivered again, in the slot it already holds.
     */
    static final long LOST_AFTER_MS = 10_000;
    /** How often a take looks at the jobs Redis counts as delivered to this worker but it does not hold. */
    static final long OWN_CHECK_EVERY_MS = 5_000;
    /**
     * A job Redis has handed to this worker this many times is not taken up again: it is left to the
     * visibility timeout, where another instance's reclaimer counts the attempt (a job that keeps
     * failing without an acknowledgement still runs out of attempts).
     */
    static final long MAX_OWN_DELIVERIES = 3;

    /**
     * Jobs for the free slots (each keeps its slot until it is released): first any job delivered to
     * this worker earlier and never begun (see {@link #ownLeftovers}), else as many new jobs as slots
     * are free, waiting at most {@value #WAIT_MS} ms for a free slot and then at most as long for the
     * first job. A slot frees as soon as its job ends, so a long job never holds the others back.
     */
    public List<Delivery<ClipJob>> take() throws InterruptedException {
        List<Delivery<ClipJob>> leftovers = ownLeftovers();
        if (!leftovers.isEmpty()) {
            return leftovers;
        }
        if (leftoversWaiting) {
            // the next slot to free goes to a leftover (at the next take), not to a new job
            if (slots.tryAcquire(WAIT_MS, TimeUnit.MILLISECONDS)) {
                slots.release();
                nextOwnCheck = Long.MIN_VALUE;
            }
            return List.of();
        }
        if (!slots.tryAcquire(WAIT_MS, TimeUnit.MILLISECONDS)) {
            return List.of();
        }
        int taken = 1 + slots.drainPermits();
        List<Delivery<ClipJob>> jobs = new ArrayList<>();
        try {
            long now = monotonicMs();
            for (Delivery<ClipJob> d : queue.readJobs(consumerName, taken, WAIT_MS)) {
                // Redis back from a snapshot behind may hand out again an entry a slot is running
                if (held.putIfAbsent(d.entryId(), new Held(d, now)) == null) {
                    jobs.add(d);
                } else {
                    LOG.warn("Entry {} delivered again while this worker runs it: not taken twice", d.entryId());
                }
            }
            return jobs;
        } finally {
            slots.release(taken - jobs.size());
        }
    }

    /**
     * Jobs Redis has delivered to this consumer that no slot is working on: those a forced stop cut
     * off on their way to a slot, those left by an earlier run under the same consumer name
     * (vibecraft.instance-id), and those whose start failed unacknowledged (the database was away).
     * Without this they would wait for the visibility timeout. At most every
     * {@value #OWN_CHECK_EVERY_MS} ms; each leftover takes a free slot, or keeps the one it holds.
     */
    private List<Delivery<ClipJob>> ownLeftovers() {
        long now = monotonicMs();
        if (now < nextOwnCheck) {
            return List.of();
        }
        nextOwnCheck = now + ownCheckEveryMs;
        leftoversWaiting = false;
        int limit = held.size() + 100;
        List<Pending> own = queue.ownPendingJobs(consumerName, limit);
        if (own.size() < limit) {
            // taken long ago, never begun, and no longer this consumer's: another instance's reclaimer took it
            Set<String> ids = own.stream().map(Pending::entryId).collect(Collectors.toSet());
            held.forEach((id, h) -> {
                if (now - h.takenAt > lostAfterMs && !ids.contains(id) && h.state.compareAndSet(Held.TAKEN, Held.GONE)
                        && held.remove(id, h)) {
                    slots.release();
                }
            });
        }
        List<Delivery<ClipJob>> out = new ArrayList<>();
        try {
            for (Pending pending : own) {
                Held h = held.get(pending.entryId());
                if (h == null) {
                    retakeUnheld(pending, now, out);
                } else if (now - h.takenAt > lostAfterMs && h.state.compareAndSet(Held.TAKEN, Held.RETAKING)) {
                    retakeLost(pending, h, now, out);
                }
            }
        } catch (RuntimeException e) {
            // Redis failed half-way: what was taken up so far still runs; the rest at the next look
            LOG.warn("Looking at the jobs left to {} failed: {}", consumerName, e.toString());
        }
        if (!out.isEmpty()) {
            LOG.warn("{} job(s) delivered to {} earlier and not being worked on: taken again", out.size(), consumerName);
        }
        return out;
    }

    /** A job delivered to this consumer that no slot holds: taken up in a free slot, if one is free. */
    private void retakeUnheld(Pending pending, long now, List<Delivery<ClipJob>> out) {
        if (pending.deliveries() >= MAX_OWN_DELIVERIES) {
            return; // left to the visibility timeout
        }
        if (!slots.tryAcquire()) {
            leftoversWaiting = true;
            return;
        }
        Optional<Delivery<ClipJob>> d = Optional.empty();
        try {
            d = queue.retakeJob(consumerName, pending);
        } finally {
            if (d.isPresent() && held.putIfAbsent(pending.entryId(), new Held(d.get(), now)) == null) {
                out.add(d.get());
            } else {
                slots.release();
            }
        }
    }

    /** A job taken but never begun (cut off on its way to a slot): delivered again in the slot it holds. */
    private void retakeLost(Pending pending, Held h, long now, List<Delivery<ClipJob>> out) {
        if (pending.deliveries() >= MAX_OWN_DELIVERIES) {
            giveUp(pending.entryId(), h); // left to the visibility timeout
            return;
        }
        Optional<Delivery<ClipJob>> d = null;
        try {
            d = queue.retakeJob(consumerName, pending);
        } finally {
            if (d == null) {
                h.state.set(Held.TAKEN); // the claim failed: the entry is as it was
            }
        }
        if (d.isEmpty()) {
            giveUp(pending.entryId(), h); // another instance's reclaimer has it now
        } else {
            held.replace(pending.entryId(), h, new Held(d.get(), now));
            h.state.set(Held.GONE);
            out.add(d.get());
        }
    }

    /** Milliseconds from the monotonic clock: a wall clock set back must not stop the looks. */
    private static long monotonicMs() {
        return System.nanoTime() / 1_000_000;
    }

    private void giveUp(String entryId, Held h) {
        h.state.set(Held.GONE);
        if (held.remove(entryId, h)) {
            slots.release();
        }
    }

    /** The job whose exchange this is has ended (well or not): its slot frees. */
    public void release(Exchange exchange) {
        Delivery<?> d = exchange.getProperty(DELIVERY, Delivery.class);
        if (d != null && held.remove(d.entryId(), heldBy(d))) {
            slots.release();
        }
    }

    private Held heldBy(Delivery<?> d) {
        Held h = held.get(d.entryId());
        return h != null && h.delivery == d ? h : null;
    }

    /** Free slots now (for tests and operators). */
    public int freeSlots() {
        return slots.availablePermits();
    }

    /** Marks the clip processing; a malformed or stale job is acknowledged and skipped. */
    public ClipJob begin(Exchange exchange) {
        @SuppressWarnings("unchecked")
        Delivery<ClipJob> d = exchange.getMessage().getBody(Delivery.class);
        Held h = heldBy(d);
        // BEGUN already: Camel redelivering this same exchange
        if (h == null || !(h.state.compareAndSet(Held.TAKEN, Held.BEGUN) || h.state.get() == Held.BEGUN)) {
            // a stale copy of a job delivered again (ownLeftovers): the newer delivery has its slot
            LOG.info("Entry {} is no longer this exchange's to work on: skipped", d.entryId());
            exchange.setProperty(SKIP, true);
            return null;
        }
        exchange.setProperty(DELIVERY, d);
        exchange.setProperty(ENTRY_ID, d.entryId());
        if (d.malformed()) {
            LOG.warn("Skipping {}", d.problem());
            skip(exchange, d.entryId());
            return null;
        }
        ClipJob job = d.message();
        if (!clips.markProcessing(job.clipId(), job.jobId(), consumerName)) {
            LOG.info("Clip {} job {} is no longer current (retried, re-planned or done): skipped", job.clipId(), job.jobId());
            skip(exchange, d.entryId());
            return job;
        }
        LOG.info("Clip {} of song {} processing (job {}, attempt {})", job.clipId(), job.songId(), job.jobId(), job.attempt());
        exchange.setProperty(SKIP, false);
        return job;
    }

    private void skip(Exchange exchange, String entryId) {
        queue.ackJob(entryId);
        exchange.setProperty(SKIP, true);
    }

    /** The generator's answer (body) becomes a completed or failed result; then the job is acknowledged. */
    public void finished(Exchange exchange) {
        ClipJob job = exchange.getProperty(FlowProperties.CLIP_JOB, ClipJob.class);
        GeneratedClip clip = exchange.getMessage().getBody(GeneratedClip.class);
        if (clip == null) {
            throw new IllegalStateException("the generator returned nothing");
        }
        if (clip.isRejected()) {
            LOG.warn("Clip {} job {} refused by the generator: {}", job.clipId(), job.jobId(), clip.rejection());
            queue.publishResult(ClipResult.failed(job.clipId(), job.jobId(), clip.rejection()));
        } else {
            queue.publishResult(ClipResult.completed(job.clipId(), job.jobId(), clip.videoUrl()));
        }
        queue.ackJob(exchange.getProperty(ENTRY_ID, String.class));
    }

    /** The generator failed: a failed result with its reason; then the job is acknowledged. */
    public void failed(Exchange exchange) {
        ClipJob job = exchange.getProperty(FlowProperties.CLIP_JOB, ClipJob.class);
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String error = e == null || e.getMessage() == null ? "clip generation failed" : e.getMessage();
        LOG.warn("Clip {} job {} failed: {}", job == null ? "?" : job.clipId(), job == null ? "?" : job.jobId(), error);
        if (job != null) {
            queue.publishResult(ClipResult.failed(job.clipId(), job.jobId(), error));
        }
        String entry = exchange.getProperty(ENTRY_ID, String.class);
        // no job read yet means the worker could not even start it (the database was away): left
        // unacknowledged, it is reclaimed after the visibility timeout instead of being lost
        if (entry != null && job != null) {
            queue.ackJob(entry);
        }
    }

    /** The http generator's breaker is open: fail fast; the backoff brings the clip back later. */
    public void generatorUnavailable(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        throw new IllegalStateException("The video generator is unavailable"
                + (e != null && e.getMessage() != null ? ": " + e.getMessage() : " (circuit breaker open)"));
    }
}
