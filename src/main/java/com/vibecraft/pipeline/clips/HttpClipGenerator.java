package com.vibecraft.pipeline.clips;

import com.vibecraft.pipeline.clips.http.HttpVideoGenerator;
import com.vibecraft.pipeline.clips.http.VideoGenerationException;

/**
 * The {@code http} generator as the worker sees it: a remote predictions API. A failure of the job
 * itself (the prediction failed or was canceled) is returned as a rejection; only the service's
 * faults are thrown, so only they count in the circuit breaker around this call.
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
                return GeneratedClip.rejected(e.getMessage());
            }
            throw e;
        }
    }
}
