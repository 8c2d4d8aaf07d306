package com.vibecraft.pipeline.analysis;

import com.vibecraft.pipeline.analysis.detector.BeatTracker;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BeatTrackerTest {

    private static final double FR = 22050.0 / 512;

    /** Onset envelope with a pulse of the given height at each time, plus a little noise. */
    private static float[] envelope(double seconds, double[] times, double[] heights) {
        float[] e = new float[(int) (seconds * FR)];
        Random rnd = new Random(7);
        for (int i = 0; i < e.length; i++) {
            e[i] = (float) (0.05 * rnd.nextDouble());
        }
        for (int k = 0; k < times.length; k++) {
            int f = (int) Math.round(times[k] * FR);
            if (f >= 0 && f < e.length) {
                e[f] += (float) heights[k];
            }
        }
        return e;
    }

    @Test
    void evenClicksAt120Bpm() {
        int n = 120;
        double[] t = new double[n];
        double[] h = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 0.3 + 0.5 * i;
            h[i] = 1.0;
        }
        BeatTracker.Beats b = BeatTracker.track(envelope(62, t, h), FR);
        assertEquals(120.0, b.bpm(), 2.4);
        for (int f : b.frames()) {
            double s = f / FR;
            double near = 0.3 + Math.round((s - 0.3) / 0.5) * 0.5;
            assertTrue(Math.abs(s - near) <= 0.05, "beat " + s);
        }
    }

    @Test
    void balladEighthsWithAccentedBeatsGiveTheSlowTempo() {
        // 70 BPM with eighth-note arpeggios: beats strong, off-beat eighths weaker
        double beat = 60.0 / 70;
        int n = 2 * 200;
        double[] t = new double[n];
        double[] h = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 0.5 + i * beat / 2;
            h[i] = (i % 2 == 0) ? (i % 8 == 0 ? 1.6 : 1.0) : 0.35;
        }
        BeatTracker.Beats b = BeatTracker.track(envelope(175, t, h), FR);
        assertEquals(70.0, b.bpm(), 1.4);
    }

    @Test
    void dottedRhythmDoesNotPullTheTempoToThreeHalves() {
        // 4/4 at 100 BPM, bar pattern: beat 1 strong, "and" of 2 (a syncopation) and beat 3
        double beat = 0.6;
        java.util.List<double[]> ev = new java.util.ArrayList<>();
        for (int bar = 0; bar < 60; bar++) {
            double b0 = 0.4 + bar * 4 * beat;
            ev.add(new double[] {b0, 1.5});
            ev.add(new double[] {b0 + 1.5 * beat, 0.9});
            ev.add(new double[] {b0 + 2 * beat, 1.0});
            ev.add(new double[] {b0 + 3 * beat, 0.8});
            ev.add(new double[] {b0 + 3.5 * beat, 0.4});
        }
        double[] t = ev.stream().mapToDouble(x -> x[0]).toArray();
        double[] h = ev.stream().mapToDouble(x -> x[1]).toArray();
        BeatTracker.Beats b = BeatTracker.track(envelope(146, t, h), FR);
        double bpm = b.bpm();
        assertTrue(Math.abs(bpm - 100) <= 2 || Math.abs(bpm - 50) <= 1 || Math.abs(bpm - 200) <= 4, "bpm " + bpm);
    }

    @Test
    void silenceAndTinyInputsGiveNoBeats() {
        assertEquals(0, BeatTracker.track(new float[1000], FR).frames().length);
        assertEquals(0.0, BeatTracker.track(new float[3], FR).bpm());
    }

    @Test
    void aSteadyPulseIsClearEvenWhenTheTempoChangesAndStrokesAtRandomMomentsAreNot() {
        double[] t = new double[200];
        double[] h = new double[200];
        java.util.Arrays.fill(h, 1.0);
        for (int i = 0; i < t.length; i++) {
            t[i] = 0.3 + 0.5 * i;
        }
        double steady = BeatTracker.track(envelope(100, t, h), FR).pulseClarity();
        // 100 BPM for 45 s, then 140 BPM
        for (int i = 0; i < t.length; i++) {
            t[i] = i < 75 ? 0.3 + 0.6 * i : 0.3 + 0.6 * 75 + (60.0 / 140) * (i - 75);
        }
        double changing = BeatTracker.track(envelope(100, t, h), FR).pulseClarity();
        Random rnd = new Random(3);
        double at = 0.3;
        for (int i = 0; i < t.length; i++) {
            t[i] = at;
            at += 0.15 + 0.8 * rnd.nextDouble();
        }
        double free = BeatTracker.track(envelope(100, t, h), FR).pulseClarity();
        System.out.printf("pulse clarity: steady %.3f, tempo change %.3f, free time %.3f%n", steady, changing, free);
        assertTrue(steady > 0.8, "steady " + steady);
        assertTrue(changing > 0.8, "tempo change " + changing);
        assertTrue(free < 0.25, "free time " + free);
    }
}
