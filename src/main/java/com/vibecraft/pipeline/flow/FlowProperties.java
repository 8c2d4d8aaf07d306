package com.vibecraft.pipeline.flow;

import com.vibecraft.pipeline.domain.NotFoundException;
import java.util.UUID;
import org.apache.camel.Exchange;

/**
 * Names of the exchange properties that the routes (routes/*.yaml, as {@code exchangeProperty.<name>})
 * and the flow steps both use. Properties, not headers: a header travels to outside systems (the
 * Audjust and video APIs) and is dropped by them, a property stays with the exchange through every
 * route, queue and tap.
 */
public final class FlowProperties {

    /**
     * The song a flow works on, from the moment it is stored (ingest) or taken from the API path
     * ({@code header.songId}, routes/api-*) to the end of clip planning.
     */
    public static final String SONG_ID = "songId";
    /** {@code audjust} or {@code local}: who found the sections. */
    public static final String ANALYSIS_SOURCE = "analysisSource";
    /** Why the local detector ran instead of Audjust. */
    public static final String FALLBACK_REASON = "fallbackReason";
    /** Set by plan-clips: a plan made only while the song's plan request stands. */
    public static final String AUTOMATIC_PLAN = "automaticPlan";
    /** The song's beats, for ClipPlanner in enqueue-clips. */
    public static final String BEAT_TIMES = "beatTimes";
    /** The job a clip worker holds. */
    public static final String CLIP_JOB = "clipJob";
    /** True when the worker's job is to be skipped (its clip no longer waits for it). */
    public static final String CLIP_JOB_SKIP = "clipJobSkip";

    private FlowProperties() {
    }

    /** The song the exchange carries ({@link #SONG_ID}: a UUID, or its text from the API path). */
    static UUID songId(Exchange exchange) {
        Object v = exchange.getProperty(SONG_ID);
        return v instanceof UUID u ? u : NotFoundException.parseId(String.valueOf(v), "Song " + v + " was not found.");
    }
}
