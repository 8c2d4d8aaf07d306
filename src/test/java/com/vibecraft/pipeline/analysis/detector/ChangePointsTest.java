package com.vibecraft.pipeline.analysis.detector;

import com.vibecraft.pipeline.support.TestAudio;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Clear changes of sound, found at their exact time whatever the beat grid, and only there. */
class ChangePointsTest {

    private static final float SR = 22050f;

    /** A bar-long loop of four chords struck on every beat; {@code harmonics} sets the brightness. */
    private static void loop(float[] x, double from, double to, double bpm, int harmonics, double amp) {
        int[][] chords = {{57, 60, 64}, {53, 57, 60}, {55, 59, 62}, {52, 55, 59}};
        double beat = 60.0 / bpm;
        for (int s = (int) (from * SR); s < Math.min(x.length, (int) (to * SR)); s++) {
            double t = s / SR;
            int ci = (int) Math.floor(t / beat) % chords.length;
            double env = Math.exp(-((t % beat) / beat) * 3.0);
            double v = 0;
            for (int note : chords[ci]) {
                double f = TestAudio.midiHz(note);
                for (int h = 1; h <= harmonics && f * h < SR / 2; h++) {
                    v += Math.sin(2 * Math.PI * f * h * t) / h;
                }
            }
            x[s] += (float) (amp * env * v / 3);
        }
    }

    /** A synthesised kick (falling sine) on every beat. */
    private static void kicks(float[] x, double from, double to, double bpm, double amp) {
        for (double t = from; t < to; t += 60.0 / bpm) {
            int s0 = (int) (t * SR);
            for (int i = 0; i < 0.15 * SR && s0 + i < x.length; i++) {
                double u = i / SR;
                double f = 50 + 100 * Math.exp(-u * 30);
                x[s0 + i] += (float) (amp * Math.exp(-u * 20) * Math.sin(2 * Math.PI * f * u));
            }
        }
    }

    private static List<ChangePoints.Change> clear(float[] x) {
        SpectralFeatures f = SpectralFeatures.compute(x, SR, null);
        return ChangePoints.peaks(ChangePoints.contrast(f), f.frameRate, StructureSegmenter.CLEAR_CONTRAST);
    }

    @Test
    void aChangeOfTimbreOffTheBeatGridIsFoundAtItsTime() {
        float[] x = new float[(int) (40 * SR)];
        // 97 BPM; the change at 17.3 s is on no beat and no bar line
        loop(x, 0, 17.3, 97, 2, 0.3);
        loop(x, 17.3, 40, 97, 9, 0.3);
        List<ChangePoints.Change> c = clear(x);
        assertEquals(1, c.size(), c.toString());
        assertEquals(17.3, c.get(0).sec(), 0.1, c.toString());
    }

    @Test
    void aChangeOfLoudnessAloneIsClearAndOneOfDrumsAloneIsFound() {
        float[] louder = new float[(int) (40 * SR)];
        loop(louder, 0, 20, 120, 4, 0.08);
        loop(louder, 20, 40, 120, 4, 0.5);
        List<ChangePoints.Change> a = clear(louder);
        assertEquals(1, a.size(), a.toString());
        assertEquals(20.0, a.get(0).sec(), 0.1, a.toString());

        // a kick entering a loop is a weaker change: strong enough to pull a boundary found on the
        // beat grid onto it, not to be a boundary by itself (the battery's drums-only songs)
        float[] drums = new float[(int) (40 * SR)];
        loop(drums, 0, 40, 120, 4, 0.3);
        kicks(drums, 22.25, 40, 120, 0.6);
        SpectralFeatures f = SpectralFeatures.compute(drums, SR, null);
        List<ChangePoints.Change> b = ChangePoints.peaks(ChangePoints.contrast(f), f.frameRate,
                StructureSegmenter.SNAP_CONTRAST);
        assertEquals(1, b.size(), b.toString());
        assertEquals(22.25, b.get(0).sec(), 0.15, b.toString());
    }

    @Test
    void aSteadyLoopWithChangingChordsHasNoClearChange() {
        float[] x = new float[(int) (60 * SR)];
        loop(x, 0, 60, 84, 5, 0.3);
        kicks(x, 0, 60, 84, 0.4);
        assertTrue(clear(x).isEmpty(), clear(x).toString());
    }

    @Test
    void theLevelOfTheRecordingDoesNotMatter() {
        float[] x = new float[(int) (40 * SR)];
        loop(x, 0, 13.7, 110, 2, 0.3);
        loop(x, 13.7, 40, 110, 8, 0.3);
        kicks(x, 13.7, 40, 110, 0.3);
        float[] quiet = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            quiet[i] = x[i] * 0.03f;
        }
        List<ChangePoints.Change> a = clear(x);
        List<ChangePoints.Change> b = clear(quiet);
        assertEquals(1, a.size(), a.toString());
        assertEquals(a.size(), b.size(), b.toString());
        assertEquals(a.get(0).sec(), b.get(0).sec(), 0.05);
        assertEquals(13.7, a.get(0).sec(), 0.1);
    }
}
