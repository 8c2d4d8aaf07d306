package com.vibecraft.pipeline.analysis;

import com.vibecraft.pipeline.analysis.detector.SpectralFeatures;
import java.util.List;
import java.util.Objects;

/**
 * What the local detector finds in a song: beats, tempo and raw segments, and the frame features they
 * came from (kept for {@link SongDescriber}, which needs them whoever found the sections; null for
 * audio without samples). Two results are equal when they found the same: the features, derived from the
 * same audio, do not take part in equality.
 */
public record DetectorResult(List<Double> beatTimes, double bpm, List<RawSegment> segments, double durationSec,
                             SpectralFeatures features) {

    @Override
    public boolean equals(Object o) {
        return o instanceof DetectorResult r && beatTimes.equals(r.beatTimes) && Double.compare(bpm, r.bpm) == 0
                && segments.equals(r.segments) && Double.compare(durationSec, r.durationSec) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(beatTimes, bpm, segments, durationSec);
    }

    @Override
    public String toString() {
        return "DetectorResult[beatTimes=" + beatTimes + ", bpm=" + bpm + ", segments=" + segments
                + ", durationSec=" + durationSec + "]";
    }
}
