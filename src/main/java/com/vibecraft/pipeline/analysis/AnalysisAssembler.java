package com.vibecraft.pipeline.analysis;

import com.vibecraft.pipeline.audio.DecodedAudio;
import java.util.List;
import java.util.UUID;

/**
 * Turns raw segments plus the local detector's beats and features into the named, described analysis:
 * energy per segment, section inference, then key, mood and genre ({@link SongDescriber}).
 */
public class AnalysisAssembler {

    private final SectionInference inference;
    private final SongDescriber describer;

    public AnalysisAssembler(SectionInference inference, SongDescriber describer) {
        this.inference = inference;
        this.describer = describer;
    }

    /**
     * @param segments the raw segments, from whichever source found them
     * @param local    the local detector's result on the same audio: beats, tempo and features
     */
    public SongAnalysis assemble(UUID songId, DecodedAudio audio, List<RawSegment> segments, DetectorResult local,
                                 String source, String fallbackReason) {
        double[] energies = SegmentEnergy.meanRms(audio.samples(), audio.sampleRate(), segments);
        List<Section> sections = inference.infer(segments, energies, "local".equals(source));
        SongDescriber.Description d = describer.describe(local.features(), local.beatTimes(), local.bpm(), sections);
        double bpmRounded = Math.round(local.bpm() * 100.0) / 100.0;
        List<Double> beats = local.beatTimes().stream().map(t -> Math.round(t * 1000.0) / 1000.0).toList();
        return new SongAnalysis(songId, Math.round(audio.durationSec() * 1000.0) / 1000.0, bpmRounded, beats,
                d.sections(), source, fallbackReason, d.key(), d.mood(), d.genre());
    }
}
