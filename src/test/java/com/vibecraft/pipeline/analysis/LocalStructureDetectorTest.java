package com.vibecraft.pipeline.analysis;

import com.vibecraft.pipeline.analysis.detector.BeatTracker;
import com.vibecraft.pipeline.audio.AudioKind;
import com.vibecraft.pipeline.audio.DecodedAudio;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.vibecraft.pipeline.analysis.SyntheticAudio.SR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalStructureDetectorTest {

    private final LocalStructureDetector detector = new LocalStructureDetector();

    /** A: C–G–Am–F, mellow, middle register. */
    static final int[][] A_CHORDS = {{48, 60, 64, 67}, {43, 59, 62, 67}, {45, 57, 60, 64}, {41, 57, 60, 65}};
    /** B: a different progression higher up (brighter: more harmonics where they are played). */
    static final int[][] B_CHORDS = {{52, 71, 75, 78}, {54, 73, 78, 81}, {49, 73, 76, 80}, {56, 75, 80, 83}};

    /** A-B-A-B of 15-s parts: A mellow, B brighter, chords struck on every beat, clicks at 120 BPM. */
    static float[] abab() {
        float[] x = new float[(int) (60 * SR)];
        for (int k = 0; k < 4; k++) {
            boolean isA = k % 2 == 0;
            SyntheticAudio.addChords(x, isA ? A_CHORDS : B_CHORDS, 2.0, 0.5, 15 * k, 15 * (k + 1), isA ? 2 : 8, 0.3);
        }
        SyntheticAudio.addClicks(x, 120, 0.0, 0, 60, 0.3, 1);
        return x;
    }

    /** The ABAB of {@link #abab()} as held chords that swell in and out: no strokes, no clicks, no pulse. */
    static float[] ababPads() {
        float[] x = new float[(int) (60 * SR)];
        for (int k = 0; k < 4; k++) {
            boolean isA = k % 2 == 0;
            SyntheticAudio.addPads(x, isA ? A_CHORDS : B_CHORDS, 3.0, 15 * k, 15 * (k + 1), isA ? 2 : 8, 0.3);
        }
        return x;
    }

    /**
     * Music without a steady pulse is decided by novelty peak picking: the boundary model reads
     * per-beat evidence learned on music with a beat. With one, the model decides.
     */
    @Test
    void withoutASteadyPulseTheNoveltyDecidesNotTheModel() {
        DecodedAudio free = SyntheticAudio.of(ababPads());
        DetectorResult r = detector.detect(free);
        BeatTracker.Beats beats = BeatTracker.track(r.features().onset, r.features().frameRate);
        System.out.printf("pulse clarity: pads %.3f%n", beats.pulseClarity());
        assertTrue(beats.pulseClarity() < LocalStructureDetector.MIN_PULSE_CLARITY, "pulse " + beats.pulseClarity());
        assertNull(detector.modelFor(beats));
        assertEquals(new LocalStructureDetector(LocalStructureDetector.DEFAULT_MIN_SECTION_SEC, null).detect(free), r);
        assertTiles(r);
        for (double e : new double[] {15, 30, 45}) {
            assertTrue(r.segments().stream().skip(1).anyMatch(s -> Math.abs(s.startMs() / 1000.0 - e) <= 3.0),
                    "boundary near " + e + " s in " + r.segments());
        }

        DetectorResult steady = detector.detect(SyntheticAudio.of(abab()));
        BeatTracker.Beats pulse = BeatTracker.track(steady.features().onset, steady.features().frameRate);
        assertTrue(pulse.pulseClarity() >= LocalStructureDetector.MIN_PULSE_CLARITY, "pulse " + pulse.pulseClarity());
        assertSame(detector.boundaryModel(), detector.modelFor(pulse));
    }

    /**
     * Novelty peaks on a synthetic A-B-A-B (sections of 15 s = 7.5 bars): the structural novelty
     * and its peak picking, without the learned boundary model (whose phrase prior, learned on
     * pop songs of 8- and 16-bar sections, is tested on realistic forms in
     * {@link GeneratedSongsAccuracyTest}).
     */
    @Test
    void findsAbabStructureAndTempo() {
        DetectorResult r = new LocalStructureDetector(LocalStructureDetector.DEFAULT_MIN_SECTION_SEC, null)
                .detect(SyntheticAudio.of(abab()));
        assertTiles(r);
        double[] expected = {15, 30, 45};
        List<RawSegment> segs = r.segments();
        for (double e : expected) {
            boolean hit = segs.stream().skip(1).anyMatch(s -> Math.abs(s.startMs() / 1000.0 - e) <= 3.0);
            assertTrue(hit, "boundary near " + e + " s in " + segs);
        }
        assertTrue(Math.abs(r.bpm() - 120) / 120 <= 0.02 || Math.abs(r.bpm() - 60) / 60 <= 0.02
                || Math.abs(r.bpm() - 240) / 240 <= 0.02, "bpm " + r.bpm());
        int la1 = labelAt(segs, 7.5);
        int lb1 = labelAt(segs, 22.5);
        int la2 = labelAt(segs, 37.5);
        int lb2 = labelAt(segs, 52.5);
        assertTrue(Math.abs(la1 - la2) <= 50, "A labels " + segs);
        assertTrue(Math.abs(lb1 - lb2) <= 50, "B labels " + segs);
        assertTrue(Math.abs(la1 - lb1) >= 100, "A vs B labels " + segs);
        for (int l : new int[] {la1, lb1}) {
            assertTrue(l >= 0 && l <= 1000);
        }
    }

    @Test
    void clickTrackAt100Bpm() {
        float[] x = new float[(int) (30 * SR)];
        double first = 0.37;
        SyntheticAudio.addClicks(x, 100, first, 0, 30, 0.5, 7);
        DetectorResult r = detector.detect(SyntheticAudio.of(x));
        assertEquals(100.0, r.bpm(), 2.0, "bpm");
        assertTrue(r.beatTimes().size() >= 40, "beats " + r.beatTimes().size());
        for (double b : r.beatTimes()) {
            double k = Math.round((b - first) / 0.6);
            double click = first + k * 0.6;
            assertTrue(Math.abs(b - click) <= 0.05, "beat " + b + " vs click " + click);
        }
        assertTiles(r);
    }

    @Test
    void otherSampleRatesWork() {
        float sr = 44100f;
        float[] x = new float[(int) (20 * sr)];
        for (double t = 0.25; t < 20; t += 0.5) { // 120 BPM clicks
            int s0 = (int) Math.round(t * sr);
            for (int i = 0; i < 400 && s0 + i < x.length; i++) {
                x[s0 + i] += (float) (0.5 * Math.exp(-i / 200.0) * Math.sin(i * 1.3));
            }
        }
        DetectorResult r = detector.detect(new DecodedAudio(x, sr, AudioKind.WAV));
        assertEquals(120.0, r.bpm(), 2.4, "bpm");
        for (double b : r.beatTimes()) {
            double click = 0.25 + Math.round((b - 0.25) / 0.5) * 0.5;
            assertTrue(Math.abs(b - click) <= 0.05, "beat " + b);
        }
        assertTiles(r);
    }

    @Test
    void silenceGivesOneSegmentAndNoBeats() {
        DetectorResult r = detector.detect(SyntheticAudio.of(new float[(int) (20 * SR)]));
        assertEquals(1, r.segments().size());
        assertEquals(0.0, r.bpm());
        assertTrue(r.beatTimes().isEmpty());
        assertTiles(r);
    }

    @Test
    void shortClipAndPureTone() {
        float[] clip = new float[(int) (5 * SR)];
        SyntheticAudio.addChords(clip, new int[][] {{60, 64, 67}}, 1, 0.5, 0, 5, 3, 0.3);
        DetectorResult r = detector.detect(SyntheticAudio.of(clip));
        assertEquals(1, r.segments().size());
        assertTiles(r);

        float[] tone = new float[(int) (40 * SR)];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / SR));
        }
        DetectorResult t = detector.detect(SyntheticAudio.of(tone));
        assertFalse(t.segments().isEmpty());
        assertTiles(t);

        DetectorResult empty = detector.detect(SyntheticAudio.of(new float[0]));
        assertEquals(1, empty.segments().size());
        DetectorResult tiny = detector.detect(SyntheticAudio.of(new float[100]));
        assertEquals(1, tiny.segments().size());
        assertTiles(tiny);
    }

    @Test
    void minimumSectionLengthIsHonouredAndConfigurable() {
        DetectorResult r = new LocalStructureDetector(20.0).detect(SyntheticAudio.of(abab()));
        assertTiles(r);
        for (RawSegment s : r.segments()) {
            assertTrue(s.endMs() - s.startMs() >= 20_000 - 1, "segment " + s);
        }
        assertThrows(IllegalArgumentException.class, () -> new LocalStructureDetector(0));
        assertEquals(8.0, new LocalStructureDetector().minSectionSec());
    }

    @Test
    void progressIsReportedAndMonotone() {
        List<Double> seen = new ArrayList<>();
        detector.detect(SyntheticAudio.of(abab()), seen::add);
        assertFalse(seen.isEmpty());
        assertEquals(1.0, seen.get(seen.size() - 1));
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i) >= seen.get(i - 1), "progress goes back: " + seen);
            assertTrue(seen.get(i) >= 0 && seen.get(i) <= 1);
        }
    }

    @Test
    void oneInstanceServesConcurrentCalls() throws Exception {
        float[] x = abab();
        DetectorResult ref = detector.detect(SyntheticAudio.of(x));
        ExecutorService ex = Executors.newFixedThreadPool(4);
        try {
            List<Future<DetectorResult>> fs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                fs.add(ex.submit(() -> detector.detect(SyntheticAudio.of(x))));
            }
            for (Future<DetectorResult> f : fs) {
                assertEquals(ref, f.get());
            }
        } finally {
            ex.shutdownNow();
        }
    }

    private static int labelAt(List<RawSegment> segs, double sec) {
        long ms = Math.round(sec * 1000);
        for (RawSegment s : segs) {
            if (s.startMs() <= ms && ms < s.endMs()) {
                return s.label();
            }
        }
        throw new AssertionError("no segment at " + sec);
    }

    static void assertTiles(DetectorResult r) {
        List<RawSegment> segs = r.segments();
        assertFalse(segs.isEmpty());
        assertEquals(0L, segs.get(0).startMs());
        assertEquals(Math.round(r.durationSec() * 1000), segs.get(segs.size() - 1).endMs());
        for (int i = 1; i < segs.size(); i++) {
            assertEquals(segs.get(i - 1).endMs(), segs.get(i).startMs(), "gap/overlap at " + i);
        }
        for (RawSegment s : segs) {
            assertTrue(s.endMs() >= s.startMs());
            assertTrue(s.label() >= 0 && s.label() <= 1000);
        }
    }
}
