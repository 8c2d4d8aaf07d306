package com.vibecraft.pipeline.analysis;

import com.vibecraft.pipeline.analysis.detector.BeatTracker;
import com.vibecraft.pipeline.analysis.detector.BoundaryModel;
import com.vibecraft.pipeline.analysis.detector.SpectralFeatures;
import com.vibecraft.pipeline.analysis.detector.StructureSegmenter;
import com.vibecraft.pipeline.audio.DecodedAudio;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleConsumer;

/**
 * The local structure detector (SPEC §5): beats, tempo and raw labelled segments of a song from
 * its decoded mono PCM, without any remote service.
 *
 * <p>Pipeline: one STFT pass ({@link SpectralFeatures}: log-mel spectral flux, chroma, MFCC) →
 * Ellis dynamic-programming beat tracking ({@link BeatTracker}) → beat-synchronous
 * self-similarity and structural-feature novelty, section starts scored per beat by the learned
 * {@link BoundaryModel} (or novelty peak picking without it, or where the music has no steady pulse:
 * {@link #MIN_PULSE_CLARITY}) with the minimum section length,
 * bar-aligned boundaries and repetition clustering ({@link StructureSegmenter}).
 *
 * <p>Segments tile {@code [0, duration]} without gaps; labels are {@code 100·k} for the k-th
 * distinct material (capped at 1000), so repeated sections share a label and different ones are
 * at least 100 apart. Works on any length (short, silent or constant input yields one segment;
 * BPM 0 when no beat is found).
 *
 * <p>Thread-safe: the only state is the immutable minimum section length and boundary model; every call allocates
 * its own buffers, so one instance serves concurrent analyses.
 */
public final class LocalStructureDetector {

    public static final double DEFAULT_MIN_SECTION_SEC = 8.0;

    private final double minSectionSec;
    private final BoundaryModel boundaryModel;

    /** The default minimum section length and the boundary model shipped in the jar. */
    public LocalStructureDetector() {
        this(DEFAULT_MIN_SECTION_SEC);
    }

    /** @param minSectionSec minimum section length in seconds (positive); the shipped boundary model */
    public LocalStructureDetector(double minSectionSec) {
        this(minSectionSec, BoundaryModel.bundled());
    }

    /**
     * @param minSectionSec minimum section length in seconds (positive)
     * @param boundaryModel learned boundary scorer, or null for plain novelty peak picking
     */
    public LocalStructureDetector(double minSectionSec, BoundaryModel boundaryModel) {
        this.boundaryModel = boundaryModel;
        if (!(minSectionSec > 0) || Double.isInfinite(minSectionSec)) {
            throw new IllegalArgumentException("minSectionSec must be a positive number: " + minSectionSec);
        }
        this.minSectionSec = minSectionSec;
    }

    /**
     * Below this pulse clarity ({@link BeatTracker.Beats#pulseClarity}) a song is decided by novelty
     * peak picking, not by the boundary model: the models learned per beat on music with a steady
     * pulse (the least clear of their training renders: 0.38; pop909-dev 0.53), and on music without
     * one (an ambient orchestral piece 0.24, a rubato cello 0.16) their per-beat evidence is noise
     * that a codec alone changes (whole tracks WAV vs MP3 .88 → .95 with this rule).
     */
    public static final double MIN_PULSE_CLARITY = 0.25;

    /** The boundary model, unless the song has no steady pulse for it to read. */
    BoundaryModel modelFor(BeatTracker.Beats beats) {
        return beats.pulseClarity() >= MIN_PULSE_CLARITY ? boundaryModel : null;
    }

    public double minSectionSec() {
        return minSectionSec;
    }

    /** The learned boundary scorer in use, or null. */
    public BoundaryModel boundaryModel() {
        return boundaryModel;
    }

    public DetectorResult detect(DecodedAudio audio) {
        return detect(audio, null);
    }

    /**
     * @param progress optional; receives non-decreasing values in [0, 1], ending with 1
     */
    public DetectorResult detect(DecodedAudio audio, DoubleConsumer progress) {
        Objects.requireNonNull(audio, "audio");
        DoubleConsumer p = progress == null ? v -> { } : progress;
        float[] samples = audio.samples() == null ? new float[0] : audio.samples();
        double sr = audio.sampleRate();
        double duration = sr > 0 ? samples.length / sr : 0.0;
        p.accept(0.0);
        if (!(sr > 0) || samples.length == 0) {
            p.accept(1.0);
            return new DetectorResult(List.of(), 0.0, List.of(new RawSegment(0, 0, 0)), 0.0, null);
        }
        long endMs = Math.round(duration * 1000.0);

        SpectralFeatures f = SpectralFeatures.compute(samples, sr, v -> p.accept(0.7 * v));
        p.accept(0.7);
        BeatTracker.Beats beats = BeatTracker.track(f.onset, f.frameRate);
        p.accept(0.8);
        List<Double> beatTimes = new ArrayList<>(beats.frames().length);
        for (int b : beats.frames()) {
            double t = f.frameTime(b);
            if (t <= duration) {
                beatTimes.add(Math.round(t * 1000.0) / 1000.0);
            }
        }
        List<StructureSegmenter.Segment> segs = StructureSegmenter.segment(f, beats.frames(), duration, minSectionSec,
                modelFor(beats));
        p.accept(0.98);

        List<RawSegment> out = new ArrayList<>(segs.size());
        long prevEnd = 0;
        for (int i = 0; i < segs.size(); i++) {
            StructureSegmenter.Segment s = segs.get(i);
            long start = prevEnd;
            long end = i == segs.size() - 1 ? endMs : Math.round(s.endSec() * 1000.0);
            end = Math.max(start, Math.min(endMs, end));
            if (end == start && i < segs.size() - 1) {
                continue; // degenerate; the next segment starts here
            }
            out.add(new RawSegment(start, end, Math.min(1000, 100 * s.cluster())));
            prevEnd = end;
        }
        if (out.isEmpty()) {
            out.add(new RawSegment(0, endMs, 0));
        }
        double bpm = Math.round(beats.bpm() * 100.0) / 100.0;
        p.accept(1.0);
        return new DetectorResult(Collections.unmodifiableList(beatTimes), bpm,
                Collections.unmodifiableList(out), duration, f);
    }
}
