package com.vibecraft.pipeline.analysis.battery;

import com.vibecraft.pipeline.support.TestAudio;
import com.vibecraft.pipeline.analysis.battery.SongSynth.Arrangement;
import com.vibecraft.pipeline.analysis.battery.SongSynth.Drums;
import com.vibecraft.pipeline.analysis.battery.SongSynth.Part;
import com.vibecraft.pipeline.analysis.battery.SongSynth.Timbre;
import java.util.ArrayList;
import java.util.List;

/**
 * Generated songs of an unmistakable style and character, for the mood and genre tests: what a
 * listener would name at once. About 40 s each, seeded, the same on every run.
 */
public final class StyleSongs {

    private StyleSongs() {
    }

    static final int[][] A_MINOR_DANCE = {GeneralisationBattery.AM, GeneralisationBattery.F,
            GeneralisationBattery.C, GeneralisationBattery.G};
    /** Power chords (root, fifth, octave) E5 C5 D5 A5 over their bass root. */
    static final int[][] POWER = {{40, 52, 59, 64}, {36, 48, 55, 60}, {38, 50, 57, 62}, {45, 57, 64, 69}};
    static final int[][] C_MAJOR_BALLAD = {GeneralisationBattery.C, GeneralisationBattery.F,
            GeneralisationBattery.G, GeneralisationBattery.C};
    static final int[][] D_MINOR_BALLAD = {GeneralisationBattery.DM, {34, 58, 62, 65}, {33, 57, 61, 64},
            GeneralisationBattery.DM};

    /** 128 BPM four-on-the-floor synth track: saw chords, bass, a lead, kick on every beat. */
    public static float[] electronicTrack() {
        Arrangement a = new Arrangement(A_MINOR_DANCE, 4, Timbre.SAW, true, 31, Drums.FOUR, 1.0);
        return new SongSynth(7).render(List.of(new Part('A', a, 128, 20))).samples();
    }

    /** A slow solo piano ballad in C major at 66 BPM, played softly (see {@link #piano}). */
    public static float[] slowPiano() {
        return piano(C_MAJOR_BALLAD, 66, 12, 0.25, 11);
    }

    /** The same kind of ballad in D minor at 60 BPM: a sad piano. */
    public static float[] sadPiano() {
        return piano(D_MINOR_BALLAD, 60, 11, 0.25, 13);
    }

    /**
     * Solo piano as a pianist plays a ballad: a bass note held through each bar, the chord broken into
     * eighths in the right hand, a melody of chord tones an octave up; with rubato (the tempo breathes
     * ±6 % over four bars), every note a little early or late (±25 ms) and at its own strength. Notes
     * are struck harmonic tones that decay, no drums.
     */
    static float[] piano(int[][] chords, double bpm, int bars, double level, long seed) {
        java.util.Random r = new java.util.Random(seed);
        int sr = SongSynth.SR;
        float[] x = new float[(int) ((bars * 4 * 60.0 / bpm * 1.1 + 3) * sr)];
        // the piece strikes the same few notes, at three beat lengths, again and again
        java.util.Map<Struck, double[]> partials = new java.util.HashMap<>();
        double t = 0.5;
        for (int bar = 0; bar < bars; bar++) {
            int[] chord = chords[bar % chords.length];
            double beat = 60.0 / (bpm * (1 + 0.06 * Math.sin(2 * Math.PI * bar / 4.0)));
            note(x, t + jitter(r), 4 * beat, chord[0] + 12, 0.30 * strength(r), partials);
            for (int e = 0; e < 8; e++) {
                int pitch = chord[1 + (e % 4 == 3 ? 1 : e % 3)];
                note(x, t + e * beat / 2 + jitter(r), beat, pitch, 0.16 * strength(r), partials);
            }
            for (int q = 0; q < 4; q++) {
                if (r.nextDouble() < 0.25) {
                    continue;
                }
                note(x, t + q * beat + jitter(r), beat, chord[1 + r.nextInt(chord.length - 1)] + 12, 0.22 * strength(r),
                        partials);
            }
            t += 4 * beat;
        }
        float peak = 0;
        for (float v : x) {
            peak = Math.max(peak, Math.abs(v));
        }
        for (int i = 0; i < x.length; i++) {
            x[i] *= (float) (level / peak);
        }
        return x;
    }

    private static double jitter(java.util.Random r) {
        return (r.nextDouble() - 0.5) * 0.05;
    }

    private static double strength(java.util.Random r) {
        return 0.6 + 0.4 * r.nextDouble();
    }

    /** A struck string: six harmonics, the higher ones decaying faster. */
    private static void note(float[] x, double start, double dur, int midi, double amp,
                             java.util.Map<Struck, double[]> partials) {
        int sr = SongSynth.SR;
        int s0 = (int) (Math.max(0, start) * sr);
        int n = (int) ((dur + 0.3) * sr);
        double[] wave = partials.computeIfAbsent(new Struck(midi, dur), k -> partials(midi, n, sr));
        for (int i = 0; i < n && s0 + i < x.length; i++) {
            double u = i / (double) sr;
            double release = u > dur ? Math.exp(-(u - dur) * 20) : 1;
            x[s0 + i] += (float) (amp * wave[i] * release * Math.min(1, u * 300));
        }
    }

    /** A note as struck: its pitch and how long it is held (the key of its worked-out harmonics). */
    private record Struck(int midi, double dur) {
    }

    /** The sum of a note's decaying harmonics over {@code n} samples: worked out once per note and length. */
    private static double[] partials(int midi, int n, int sr) {
        double f = TestAudio.midiHz(midi);
        double[] wave = new double[n];
        for (int i = 0; i < n; i++) {
            double u = i / (double) sr;
            double v = 0;
            for (int h = 1; h <= 6 && f * h < 10000; h++) {
                v += Math.sin(2 * Math.PI * f * h * u) * Math.exp(-u * (1.2 + 0.8 * h)) / h;
            }
            wave[i] = v;
        }
        return wave;
    }

    /**
     * A distorted guitar band at 150 BPM: power chords through a hard clipper, struck on every eighth,
     * with bass and a rock beat (kick on 1 and 3, snare on 2 and 4, hi-hat eighths).
     */
    public static float[] rockBand() {
        int bars = 24;
        // guitar alone, eighth-note chugs: a 2-beat chord would ring; re-strike by rendering eighth-bar parts
        List<Part> guitar = new ArrayList<>();
        for (int bar = 0; bar < bars; bar++) {
            int[][] chord = {POWER[(bar / 2) % POWER.length]};
            Arrangement g = new Arrangement(chord, 4, Timbre.SAW, false, 0, Drums.NONE, 1.0);
            for (int e = 0; e < 8; e++) {
                guitar.add(new Part('G', g, 150, 1.0 / 8));
            }
        }
        float[] g = new SongSynth(5).render(guitar).samples();
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) Math.tanh(8 * g[i]);
        }
        List<Part> rhythm = new ArrayList<>();
        for (int bar = 0; bar < bars; bar += 2) {
            int[][] root = {{POWER[(bar / 2) % POWER.length][0]}};
            rhythm.add(new Part('R', new Arrangement(root, 4, Timbre.SAW, true, 0, Drums.ROCK, 1.0), 150, 2));
        }
        float[] r = new SongSynth(5).render(rhythm).samples();
        float[] x = new float[Math.min(g.length, r.length)];
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.45f * g[i] + 0.55f * r[i];
        }
        return x;
    }

    private static float[] scaled(float[] x, double gain) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= (float) gain;
        }
        return x;
    }
}
