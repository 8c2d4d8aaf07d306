package com.vibecraft.pipeline.flow;

import com.vibecraft.pipeline.clips.ClipJobQueue;
import com.vibecraft.pipeline.clips.ClipJobQueue.Delivery;
import com.vibecraft.pipeline.clips.ClipRepository;
import com.vibecraft.pipeline.clips.ClipResult;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * routes/60-clips-results.camel.yaml: worker results update the ledger. Unknown clips, stale jobs and
 * malformed entries are logged and acknowledged; a database error leaves the entry pending, so it is
 * read again on the next poll.
 */
public class ClipResultSteps {

    private static final Logger LOG = LoggerFactory.getLogger(ClipResultSteps.class);

    private final ClipJobQueue queue;
    private final ClipRepository clips;
    private final ClipDispatchSteps dispatch;
    private final String consumerName;
    private final long orphanIdleMs;

    /**
     * @param orphanIdle results another instance received but has not applied for this long are taken
     *                   over (that instance died); the clips' visibility timeout
     */
    public ClipResultSteps(ClipJobQueue queue, ClipRepository clips, ClipDispatchSteps dispatch, String consumerName,
                           Duration orphanIdle) {
        this.queue = queue;
        this.clips = clips;
        this.dispatch = dispatch;
        this.consumerName = consumerName;
        this.orphanIdleMs = orphanIdle.toMillis();
    }

    public List<Delivery<ClipResult>> take() {
        return queue.readResults(consumerName, 50, 1000, orphanIdleMs);
    }

    /** Applies one result; returns the song of a clip that completed (its video may be due), else null. */
    public java.util.UUID apply(Delivery<ClipResult> d) {
        java.util.UUID completedSong = null;
        if (d.malformed()) {
            LOG.warn("Ignoring {}", d.problem());
        } else {
            ClipResult r = d.message();
            if (r.completed()) {
                if (clips.complete(r.clipId(), r.jobId(), r.videoUrl())) {
                    completedSong = clips.find(r.clipId()).map(c -> c.songId()).orElse(null);
                    LOG.info("Clip {} of song {} completed (job {})", r.clipId(), completedSong, r.jobId());
                } else {
                    LOG.info("Ignoring a completed result for clip {} job {}: unknown clip or not its current job",
                            r.clipId(), r.jobId());
                }
            } else {
                switch (clips.fail(r.clipId(), r.jobId(), r.error())) {
                    case RETRY_SCHEDULED -> LOG.info("Clip {} of song {} failed (job {}): {}; will retry", r.clipId(),
                            songOf(r), r.jobId(), r.error());
                    case EXHAUSTED -> {
                        LOG.warn("Clip {} of song {} failed (job {}) with no attempts left: {}", r.clipId(), songOf(r),
                                r.jobId(), r.error());
                        tryDeadLetter();
                    }
                    case STALE -> LOG.info("Ignoring a failed result for clip {} job {}: unknown clip or not its current job",
                            r.clipId(), r.jobId());
                }
            }
        }
        queue.ackResult(d.entryId());
        return completedSong;
    }

    /** For the log line: results carry the clip id only. */
    private String songOf(ClipResult r) {
        return clips.find(r.clipId()).map(c -> c.songId().toString()).orElse("?");
    }

    private void tryDeadLetter() {
        try {
            dispatch.deadLetterExhausted();
        } catch (RuntimeException e) {
            // the retry sweeper dead-letters it later
            LOG.warn("Dead-lettering postponed: {}", e.getMessage());
        }
    }
}
