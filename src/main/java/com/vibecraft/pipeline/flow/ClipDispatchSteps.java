package com.vibecraft.pipeline.flow;

import com.vibecraft.pipeline.clips.Clip;
import com.vibecraft.pipeline.clips.ClipJob;
import com.vibecraft.pipeline.clips.ClipJobQueue;
import com.vibecraft.pipeline.clips.ClipLinks;
import com.vibecraft.pipeline.clips.ClipRepository;
import com.vibecraft.pipeline.clips.ClipStatus;
import com.vibecraft.pipeline.domain.ConflictException;
import com.vibecraft.pipeline.domain.NotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Getting committed jobs onto the stream and keeping them there (routes/40-clips-enqueue.camel.yaml's
 * send, routes/70-clips-retry.camel.yaml): sending after the rows are committed, the relay for what
 * was not sent, retries (asked for, automatic, stalled jobs), jobs Redis lost, and the dead-letter stream.
 * When a clip may be tried again is {@link com.vibecraft.pipeline.clips.RetryPolicy}'s decision.
 */
public class ClipDispatchSteps {

    private static final Logger LOG = LoggerFactory.getLogger(ClipDispatchSteps.class);

    private final ClipRepository clips;
    private final ClipJobQueue queue;
    private final ClipLinks links;
    private final String consumerName;
    private final Duration visibilityTimeout;

    public ClipDispatchSteps(ClipRepository clips, ClipJobQueue queue, ClipLinks links, String consumerName,
                             Duration visibilityTimeout) {
        this.clips = clips;
        this.queue = queue;
        this.links = links;
        this.consumerName = consumerName;
        this.visibilityTimeout = visibilityTimeout;
    }

    // ------------------------------------------------------------------ sending

    /** Puts one committed job (a retry) on the stream and records that it is there. */
    public void send(ClipJob job) {
        sendAll(List.of(job));
    }

    /**
     * Puts a committed plan's jobs on the stream in one call, then records that on the plan's one row
     * (not on each clip's). On failure the plan stays unsent and the relay sends its jobs.
     */
    public void sendPlan(PlanJobs plan) {
        if (plan == null || plan.jobs().isEmpty()) {
            return;
        }
        queue.enqueueAll(plan.jobs());
        clips.markPlanSent(plan.songId(), plan.planId());
        LOG.debug("{} clip jobs of song {} sent", plan.jobs().size(), plan.songId());
    }

    /** Puts committed jobs (a retry, or what the relay found) on the stream in one call, then records it on their rows. */
    public void sendAll(List<ClipJob> jobs) {
        if (jobs == null || jobs.isEmpty()) {
            return;
        }
        queue.enqueueAll(jobs);
        clips.markSentAll(jobs.stream().map(ClipJob::jobId).toList());
        LOG.debug("{} clip jobs sent", jobs.size());
    }

    /** Jobs whose send did not happen (Redis was down), for the relay. */
    public List<ClipJob> unsentJobs() {
        // plans the relay has sent clip by clip stop being looked at
        clips.settleRelayedPlans(Duration.ofSeconds(2));
        return clips.unsent(Duration.ofSeconds(2), 200).stream().map(links::job).toList();
    }

    // ------------------------------------------------------------------ retries

    /** {@code POST /songs/{songId}/clips/{clipId}/retry}: the clip with a new job, or 404/409. */
    public ClipJob retry(String songId, String clipId) {
        UUID song = NotFoundException.parseId(songId, "Clip " + clipId + " was not found.");
        UUID clip = NotFoundException.parseId(clipId, "Clip " + clipId + " was not found.");
        Clip c = clips.find(clip).filter(x -> x.songId().equals(song))
                .orElseThrow(() -> new NotFoundException("Clip " + clipId + " was not found for song " + songId + "."));
        if (c.status() == ClipStatus.QUEUED || c.status() == ClipStatus.PROCESSING) {
            throw new ConflictException("Clip " + clipId + " is already " + c.status().value() + ".");
        }
        Clip again = clips.reissue(clip, c.jobId(), List.of(ClipStatus.FAILED, ClipStatus.COMPLETED), true)
                .orElseThrow(() -> new ConflictException("Clip " + clipId + " is already being retried."));
        LOG.info("Clip {} of song {} queued again (retry requested, job {})", clip, song, again.jobId());
        return links.job(again);
    }

    public Clip clip(UUID clipId) {
        return clips.find(clipId).orElseThrow();
    }

    /** Failed clips whose backoff has passed get their next job. */
    public List<ClipJob> dueRetries() {
        List<ClipJob> jobs = new ArrayList<>();
        for (Clip c : clips.dueRetries(100)) {
            clips.reissue(c.id(), c.jobId(), List.of(ClipStatus.FAILED), false).ifPresent(again -> {
                LOG.info("Clip {} of song {} queued again (automatic retry after {} of {} attempts)", again.id(), again.songId(),
                        again.attempts(), again.maxAttempts());
                jobs.add(links.job(again));
            });
        }
        return jobs;
    }

    /**
     * Jobs the ledger has as sent but Redis no longer knows (it crashed and came back from an
     * append-only file a second behind): marked unsent, so the relay sends them again, same job id.
     */
    public int requeueLostJobs() {
        int lost = 0;
        for (Clip c : clips.sentAndWaiting(visibilityTimeout, 500)) {
            if (!queue.wasSent(c.jobId()) && clips.markUnsent(c.id(), c.jobId())) {
                LOG.warn("Clip {} job {} was lost by Redis: sending it again", c.id(), c.jobId());
                lost++;
            }
        }
        return lost;
    }

    /**
     * Jobs a worker received but never acknowledged within the visibility timeout: the attempt counts;
     * with attempts left the clip gets a new job, otherwise it fails for good.
     */
    public List<ClipJob> reclaimStalled() {
        List<ClipJob> jobs = new ArrayList<>();
        for (ClipJobQueue.Delivery<ClipJob> d : queue.reclaimStalled(consumerName + "-reclaimer",
                visibilityTimeout.toMillis(), 100)) {
            if (!d.malformed()) {
                ClipJob stalled = d.message();
                Optional<Clip> current = clips.find(stalled.clipId())
                        .filter(c -> c.jobId().equals(stalled.jobId()))
                        .filter(c -> c.status() == ClipStatus.QUEUED || c.status() == ClipStatus.PROCESSING);
                if (current.isPresent()) {
                    Clip c = current.get();
                    if (clips.retryPolicy().attemptsLeft(c.attempts())) {
                        clips.reissue(c.id(), c.jobId(), List.of(ClipStatus.QUEUED, ClipStatus.PROCESSING), false)
                                .ifPresent(again -> {
                                    LOG.warn("Clip {} job {} stalled (no ack within {} s): re-sent as job {}",
                                            c.id(), c.jobId(), visibilityTimeout.toSeconds(), again.jobId());
                                    jobs.add(links.job(again));
                                });
                    } else {
                        clips.fail(c.id(), c.jobId(), "No worker finished the job within the visibility timeout of "
                                + visibilityTimeout.toSeconds() + " s, " + c.attempts() + " times.");
                        LOG.warn("Clip {} of song {} failed: job {} stalled with no attempts left", c.id(), c.songId(), c.jobId());
                    }
                }
            } else {
                LOG.warn("Dropping a reclaimed {}", d.problem());
            }
            queue.ackJob(d.entryId());
        }
        return jobs;
    }

    /** Clips out of attempts go to the dead-letter stream with their last error, once. */
    public int deadLetterExhausted() {
        int n = 0;
        for (Clip c : clips.awaitingDeadLetter(100)) {
            // once per job even when several instances sweep at the same time
            if (queue.deadLetter(links.job(c), c.error()) != null) {
                LOG.warn("Clip {} of song {} failed {} times: dead-lettered ({})", c.id(), c.songId(), c.attempts(), c.error());
                n++;
            }
            clips.markDeadLettered(c.id(), c.jobId());
        }
        return n;
    }
}
