package com.vibecraft.pipeline.media;

/** Told how far a composition is, 0–100, now and then (at most a few times a second). */
@FunctionalInterface
public interface CompositionProgress {

    CompositionProgress NONE = percent -> { };

    void update(int percent);
}
