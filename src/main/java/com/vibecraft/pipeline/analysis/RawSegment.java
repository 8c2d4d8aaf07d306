package com.vibecraft.pipeline.analysis;

/**
 * A time segment as a structure detector (Audjust or the local one) reports it.
 * {@code label} is 0–1000; close labels mean similar music.
 */
public record RawSegment(long startMs, long endMs, int label) {
}
