package com.vibecraft.pipeline.flow;

import com.vibecraft.pipeline.clips.ClipJob;
import com.vibecraft.pipeline.clips.ClipJobQueue;
import com.vibecraft.pipeline.clips.ClipJobQueue.Delivery;
import com.vibecraft.pipeline.clips.ClipRepository;
import com.vibecraft.pipeline.clips.ClipResult;
import com.vibecraft.pipeline.clips.GeneratedClip;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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

    private static final Logger LOG = LoggerFactory.getLogger(ClipWorkerSteps.class);

    private final ClipJobQueue queue;
    private final ClipRepository clips;
    private final String consumerName;
    /** The worker's free slots: a job holds one from {@link #take} until {@link #release}. */
    private final Semaphore slots;

    public ClipWorkerSteps(ClipJobQueue queue, ClipRepository clips, String consumerName, int concurrency) {
        this.queue = queue;
        this.clips = clips;
        this.consumerName = consumerName;
        this.slots = new Semaphore(concurrency);
    }

    /**
     * How long one {@link #take} waits for a free slot, and then for the first job. Short, so that a
     * take in flight ends well inside any graceful stop of the worker's route: a read cut off by a
     * forced stop would leave its job delivered but never begun until the visibility timeout
     * reclaims it (seen in ClipFlowTest, whose stop waits one second).
     */
    static final long WAIT_MS = 250;

    /**
     * As many new jobs as slots are free (each keeps its slot until it is released), waiting at most
     * {@value #WAIT_MS} ms for a free slot and then at most as long for the first job. A slot frees as
     * soon as its job ends, so a long job never holds the others back.
     */
    public List<Delivery<ClipJob>> take() throws InterruptedException {
        if (!slots.tryAcquire(WAIT_MS, TimeUnit.MILLISECONDS)) {
            return List.of();
        }
        int taken = 1 + slots.drainPermits();
        List<Delivery<ClipJob>> jobs = List.of();
        try {
            jobs = queue.readJobs(consumerName, taken, WAIT_MS);
            return jobs;
        } finally {
            slots.release(taken - jobs.size());
        }
    }

    /** The job that held a slot has ended (well or not). */
    public void release() {
        slots.release();
    }

    /** Free slots now (for tests and operators). */
    public int freeSlots() {
        return slots.availablePermits();
    }

    /** Marks the clip processing; a malformed or stale job is acknowledged and skipped. */
    public ClipJob begin(Exchange exchange) {
        @SuppressWarnings("unchecked")
        Delivery<ClipJob> d = exchange.getMessage().getBody(Delivery.class);
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
