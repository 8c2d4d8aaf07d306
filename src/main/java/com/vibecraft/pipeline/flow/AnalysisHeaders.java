package com.vibecraft.pipeline.flow;

/** Header names shared by the routes. */
public final class AnalysisHeaders {
    public static final String SONG_ID = "songId";

    private AnalysisHeaders() {
    }
}
