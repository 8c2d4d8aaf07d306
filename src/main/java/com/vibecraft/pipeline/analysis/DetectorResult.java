package com.vibecraft.pipeline.analysis;

import java.util.List;

/** What the local detector finds in a song: beats, tempo and raw segments. */
public record DetectorResult(List<Double> beatTimes, double bpm, List<RawSegment> segments, double durationSec) {
}
