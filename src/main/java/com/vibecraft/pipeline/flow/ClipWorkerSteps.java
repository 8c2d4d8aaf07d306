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
    private volatile long nextOwnCheck;

    /** A delivery holding a slot; begun once an exchange has started on it. */
    private static final class Held {
        final Delivery<ClipJob> delivery;
        final long takenAt;
        volatile boolean begun;

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
        if (!slots.tryAcquire(WAIT_MS, TimeUnit.MILLISECONDS)) {
            return List.of();
        }
        int taken = 1 + slots.drainPermits();
        List<Delivery<ClipJob>> jobs = List.of();
        try {
            jobs = queue.readJobs(consumerName, taken, WAIT_MS);
            long now = System.currentTimeMillis();
            jobs.forEach(d -> held.put(d.entryId(), new Held(d, now)));
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
        long now = System.currentTimeMillis();
        if (now < nextOwnCheck) {
            return List.of();
        }
        nextOwnCheck = now + ownCheckEveryMs;
        List<Delivery<ClipJob>> out = new ArrayList<>();
        int limit = held.size() + 100;
        List<Pending> own = queue.ownPendingJobs(consumerName, limit);
        if (own.size() < limit) {
            // not begun, long taken, and no longer this consumer's: another instance's reclaimer took it
            Set<String> ids = own.stream().map(Pending::entryId).collect(Collectors.toSet());
            held.forEach((id, h) -> {
                if (!h.begun && now - h.takenAt > lostAfterMs && !ids.contains(id) && held.remove(id, h)) {
                    slots.release();
                }
            });
        }
        for (Pending pending : own) {
            Held h = held.get(pending.entryId());
            if (h == null) {
                if (!slots.tryAcquire()) {
                    nextOwnCheck = 0; // the rest as soon as a slot frees
                    break;
                }
                Optional<Delivery<ClipJob>> d = queue.retakeJob(consumerName, pending);
                if (d.isPresent()) {
                    held.put(pending.entryId(), new Held(d.get(), now));
                    out.add(d.get());
                } else {
                    slots.release();
                }
            } else if (!h.begun && now - h.takenAt > lostAfterMs) {
                Optional<Delivery<ClipJob>> d = queue.retakeJob(consumerName, pending);
                if (d.isEmpty()) {
                    // another instance's reclaimer has it now: the slot is free again
                    if (held.remove(pending.entryId(), h)) {
                        slots.release();
                    }
                } else if (held.replace(pending.entryId(), h, new Held(d.get(), now))) {
                    out.add(d.get());
                }
            }
        }
        if (!out.isEmpty()) {
            LOG.warn("{} job(s) delivered to {} earlier and not being worked on: taken again", out.size(), consumerName);
        }
        return out;
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
        if (h == null) {
            // a stale copy of a job delivered again (ownLeftovers): the newer delivery has its slot
            LOG.info("Entry {} is no longer this exchange's to work on: skipped", d.entryId());
            exchange.setProperty(SKIP, true);
            return null;
        }
        h.begun = true;
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
