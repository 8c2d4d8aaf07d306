package com.vibecraft.pipeline.analysis;

import com.vibecraft.pipeline.support.TestAudio;
import com.vibecraft.pipeline.audio.AudioKind;
import com.vibecraft.pipeline.audio.DecodedAudio;

import java.util.Random;

/** Test signals generated in Java: click tracks, chords, silence. */
final class SyntheticAudio {

    static final float SR = 22050f;

    private SyntheticAudio() {
    }

    static DecodedAudio of(float[] x) {
        return new DecodedAudio(x, SR, AudioKind.WAV);
    }

    /** Adds short decaying noise clicks at {@code bpm}, starting at {@code firstSec}, in [from, to). */
    static void addClicks(float[] x, double bpm, double firstSec, double fromSec, double toSec, double amp, long seed) {
        Random r = new Random(seed);
        double period = 60.0 / bpm;
        int len = (int) (0.03 * SR);
        for (double t = firstSec; t < toSec; t += period) {
            if (t < fromSec) {
                continue;
            }
            int s0 = (int) Math.round(t * SR);
            for (int i = 0; i < len && s0 + i < x.length; i++) {
                double env = Math.exp(-i / (0.005 * SR));
                x[s0 + i] += (float) (amp * env * (2 * r.nextDouble() - 1));
            }
        }
    }

    /**
     * Adds a chord progression: each chord (MIDI notes) lasts {@code chordSec}, notes are struck at
     * every beat with a percussive envelope; {@code harmonics} sets the brightness (timbre).
     */
    static void addChords(float[] x, int[][] chords, double chordSec, double beatSec, double fromSec, double toSec,
                          int harmonics, double amp) {
        int s0 = (int) (fromSec * SR);
        int s1 = Math.min(x.length, (int) (toSec * SR));
        for (int s = s0; s < s1; s++) {
            double t = (s - s0) / SR;
            int ci = (int) (t / chordSec) % chords.length;
            double tb = t % beatSec;
            double env = Math.exp(-tb * 3.0);
            x[s] += (float) (amp * env * chordAt(chords[ci], harmonics, t));
        }
    }

    /**
     * Adds held chords that swell in and out ({@code chordSec} each, no attack): pads with no pulse
     * at all; {@code harmonics} sets the brightness.
     */
    static void addPads(float[] x, int[][] chords, double chordSec, double fromSec, double toSec, int harmonics,
                        double amp) {
        int s0 = (int) (fromSec * SR);
        int s1 = Math.min(x.length, (int) (toSec * SR));
        for (int s = s0; s < s1; s++) {
            double t = (s - s0) / SR;
            int ci = (int) (t / chordSec) % chords.length;
            double env = Math.sin(Math.PI * (t % chordSec) / chordSec);
            x[s] += (float) (amp * (0.3 + 0.7 * env) * chordAt(chords[ci], harmonics, t));
        }
    }

    /** Each MIDI note's frequency, worked out once rather than at every sample (the same numbers). */
    private static final double[] FREQUENCY = new double[128];

    static {
        for (int note = 0; note < FREQUENCY.length; note++) {
            FREQUENCY[note] = TestAudio.midiHz(note);
        }
    }

    /** A chord (MIDI notes) at time t: each note's harmonics below Nyquist at 1/h, averaged over the notes. */
    private static double chordAt(int[] chord, int harmonics, double t) {
        double v = 0;
        for (int note : chord) {
            double f = FREQUENCY[note];
            for (int h = 1; h <= harmonics && f * h <= SR / 2; h++) {
                v += Math.sin(2 * Math.PI * f * h * t) / h;
            }
        }
        return v / chord.length;
    }
}
