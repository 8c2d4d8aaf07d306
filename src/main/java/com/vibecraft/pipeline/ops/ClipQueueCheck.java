package com.vibecraft.pipeline.ops;

import com.vibecraft.pipeline.clips.ClipJobQueue;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness: how far the clip workers are behind. A lag (jobs not yet taken plus jobs taken but not
 * acknowledged) above the threshold is reported as degraded, not down: the service still takes
 * uploads and analyses songs, the videos just come later. Redis itself being gone is the redis
 * check's finding; here it only makes the numbers unknown.
 */
public class ClipQueueCheck extends AbstractHealthCheck {

    private final ClipJobQueue queue;
    private final long maxLag;
    private final long timeoutMs;

    public ClipQueueCheck(ClipJobQueue queue, long maxLag, long timeoutMs) {
        super("vibecraft", "clip-queue");
        this.queue = queue;
        this.maxLag = maxLag;
        this.timeoutMs = timeoutMs;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ClipJobQueue.Backlog b;
        try {
            b = TimeLimit.call(() -> queue.backlog((int) Math.min(Integer.MAX_VALUE - 1, maxLag + 1)), timeoutMs);
        } catch (Exception e) {
            builder.unknown().message("clip queue not readable: " + TimeLimit.reason(e));
            return;
        }
        builder.up().detail("waiting", b.waiting()).detail("pending", b.pending()).detail("dead", b.dead())
                .detail("lag", b.lag()).detail("maxLag", maxLag);
        if (b.lag() > maxLag) {
            builder.detail(Readiness.DEGRADED_KEY, true)
                    .message("clip workers are behind: " + b.lag() + " jobs waiting or unacknowledged (over " + maxLag + ")");
        }
    }
}
