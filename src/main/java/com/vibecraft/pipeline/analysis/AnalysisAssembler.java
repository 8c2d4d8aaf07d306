package com.vibecraft.pipeline.analysis;

import com.vibecraft.pipeline.analysis.SongAnalysis;
import com.vibecraft.pipeline.audio.DecodedAudio;
import java.util.List;
import java.util.UUID;

/** Turns raw segments plus beats into the named analysis: energy per segment, then section inference. */
public class AnalysisAssembler {

    private final SectionInference inference;

    public AnalysisAssembler(SectionInference inference) {
        this.inference = inference;
    }

    public SongAnalysis assemble(UUID songId, DecodedAudio audio, List<RawSegment> segments, List<Double> beatTimes,
                                 double bpm, String source, String fallbackReason) {
        double[] energies = SegmentEnergy.meanRms(audio.samples(), audio.sampleRate(), segments);
        List<Section> sections = inference.infer(segments, energies, "local".equals(source));
        double bpmRounded = Math.round(bpm * 100.0) / 100.0;
        List<Double> beats = beatTimes.stream().map(t -> Math.round(t * 1000.0) / 1000.0).toList();
        return new SongAnalysis(songId, Math.round(audio.durationSec() * 1000.0) / 1000.0, bpmRounded, beats,
                sections, source, fallbackReason);
    }
}
