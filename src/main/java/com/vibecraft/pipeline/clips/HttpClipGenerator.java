package com.vibecraft.pipeline.clips;

import com.vibecraft.pipeline.clips.http.HttpVideoGenerator;
import com.vibecraft.pipeline.clips.http.VideoGenerationException;

/**
 * The {@code http} generator as the worker sees it: a remote predictions API, where a failure of
 * the job itself becomes {@link ClipRejectedException} and only the service's faults reach the
 * circuit breaker as failures.
 */
public class HttpClipGenerator implements ClipGenerator {

    private final HttpVideoGenerator client;

    /** @param client null when no video API is configured */
    public HttpClipGenerator(HttpVideoGenerator client) {
        this.client = client;
    }

    @Override
    public GeneratedClip generate(ClipJob job) throws Exception {
        if (client == null) {
            throw new IllegalStateException("The http clip generator is not configured (set VIBECRAFT_VIDEO_BASE_URL)");
        }
        try {
            return client.generate(job);
        } catch (VideoGenerationException e) {
            if (!e.retryable()) {
                throw new ClipRejectedException(e.getMessage(), e);
            }
            throw e;
        }
    }
}
