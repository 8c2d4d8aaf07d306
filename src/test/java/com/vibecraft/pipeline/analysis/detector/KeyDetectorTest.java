package com.vibecraft.pipeline.analysis.detector;

import com.vibecraft.pipeline.support.TestAudio;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vibecraft.pipeline.analysis.detector.KeyDetector.MusicalKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The key of generated tonal music in every key and both modes, played as chords, arpeggios and with drums. */
class KeyDetectorTest {

    static final float SR = 22050f;
    static final double BEAT = 0.5;
    /** Cadential progressions, scale degrees of each chord's triad from the tonic (semitones). */
    static final int[][] MAJOR = {{0, 4, 7}, {5, 9, 12}, {7, 11, 14}, {9, 12, 16}, {5, 9, 12}, {7, 11, 14}, {0, 4, 7}, {0, 4, 7}};
    static final int[][] MINOR = {{0, 3, 7}, {5, 8, 12}, {7, 11, 14}, {8, 12, 15}, {5, 8, 12}, {7, 11, 14}, {0, 3, 7}, {0, 3, 7}};

    enum Style { CHORDS, ARPEGGIOS, WITH_DRUMS }

    /** The progression once, a bar (4 beats) per chord, the chord root in the bass. */
    static float[] song(int tonic, boolean minor, Style style, long seed) {
        int[][] prog = minor ? MINOR : MAJOR;
        double bar = 4 * BEAT;
        float[] x = new float[(int) (prog.length * bar * SR)];
        int base = 60 + tonic; // middle C + tonic, folded so that every key sits in about the same register
        if (base > 65) {
            base -= 12;
        }
        for (int c = 0; c < prog.length; c++) {
            double start = c * bar;
            int[] chord = prog[c];
            tone(x, start, bar, base + chord[0] - 12, 0.25); // bass
            for (int beat = 0; beat < 4; beat++) {
                double t = start + beat * BEAT;
                if (style == Style.ARPEGGIOS) {
                    tone(x, t, BEAT, base + chord[beat % 3] + (beat == 3 ? 12 : 0), 0.3);
                } else {
                    for (int note : chord) {
                        tone(x, t, BEAT, base + note, 0.18);
                    }
                }
            }
        }
        if (style == Style.WITH_DRUMS) {
            drums(x, seed);
        }
        return x;
    }

    /** A decaying harmonic tone (four partials). */
    static void tone(float[] x, double start, double dur, int midi, double amp) {
        int s0 = (int) (start * SR);
        int n = (int) (dur * SR);
        double[][] ev = TONES.computeIfAbsent(((long) midi << 32) | n, k -> envelopeAndWave(midi, n));
        double[] env = ev[0];
        double[] v = ev[1];
        for (int i = 0; i < n && s0 + i < x.length; i++) {
            x[s0 + i] += (float) (amp * env[i] * v[i]);
        }
    }

    /**
     * The songs play the same few tones over and over (72 songs): each tone's envelope and partials are
     * computed once, the same numbers as computed in place, so the songs are the same to the bit.
     */
    private static final java.util.Map<Long, double[][]> TONES = new java.util.concurrent.ConcurrentHashMap<>();

    private static double[][] envelopeAndWave(int midi, int n) {
        double f = TestAudio.midiHz(midi);
        double[] env = new double[n];
        double[] wave = new double[n];
        for (int i = 0; i < n; i++) {
            double t = i / SR;
            env[i] = Math.exp(-t * 2.5) * Math.min(1, t * 200);
            double v = 0;
            for (int h = 1; h <= 4; h++) {
                v += Math.sin(2 * Math.PI * f * h * t) / (h * h);
            }
            wave[i] = v;
        }
        return new double[][] {env, wave};
    }

    /** Kick on every beat, a noise hi-hat on the off-beats. */
    static void drums(float[] x, long seed) {
        Random r = new Random(seed);
        for (double t = 0; t < x.length / SR; t += BEAT) {
            int s0 = (int) (t * SR);
            for (int i = 0; i < 0.15 * SR && s0 + i < x.length; i++) {
                double u = i / SR;
                x[s0 + i] += (float) (0.5 * Math.exp(-u * 25) * Math.sin(2 * Math.PI * (45 + 90 * Math.exp(-u * 30)) * u));
            }
            int h0 = (int) ((t + BEAT / 2) * SR);
            for (int i = 0; i < 0.05 * SR && h0 + i < x.length; i++) {
                x[h0 + i] += (float) (0.15 * Math.exp(-i / SR * 80) * (2 * r.nextDouble() - 1));
            }
        }
    }

    static MusicalKey keyOf(float[] x) {
        SpectralFeatures f = SpectralFeatures.compute(x, SR, null);
        return KeyDetector.bundled().detect(f, 0, x.length / SR);
    }

    @Test
    void everyKeyAndModeIsFoundInChordsArpeggiosAndWithDrums() {
        List<String> wrong = new ArrayList<>();
        int n = 0;
        for (Style style : Style.values()) {
            for (int tonic = 0; tonic < 12; tonic++) {
                for (boolean minor : new boolean[] {false, true}) {
                    MusicalKey k = keyOf(song(tonic, minor, style, tonic * 31L + (minor ? 7 : 0)));
                    MusicalKey truth = new MusicalKey(tonic, minor, 1);
                    n++;
                    if (k.tonic() != tonic || k.minor() != minor) {
                        wrong.add(style + " " + truth.name() + " -> " + k.name());
                    }
                    assertTrue(k.confidence() >= 0 && k.confidence() <= 1, k.toString());
                }
            }
        }
        assertEquals(List.of(), wrong, wrong.size() + " of " + n + " wrong");
    }

    @Test
    void silenceHasNoKey() {
        float[] x = new float[(int) (10 * SR)];
        assertNull(keyOf(x));
    }

    @Test
    void theLevelOfTheRecordingDoesNotChangeTheKey() {
        float[] loud = song(2, true, Style.WITH_DRUMS, 1);
        float[] soft = loud.clone();
        for (int i = 0; i < soft.length; i++) {
            soft[i] *= 0.05f;
        }
        assertEquals(keyOf(loud), keyOf(soft));
    }

    @Test
    void theMirexScoreWeighsNearMisses() {
        MusicalKey cMajor = new MusicalKey(0, false, 1);
        assertEquals(1.0, new MusicalKey(0, false, 0.2).mirexScore(cMajor));
        assertEquals(0.5, new MusicalKey(7, false, 1).mirexScore(cMajor));
        assertEquals(0.5, new MusicalKey(5, false, 1).mirexScore(cMajor));
        assertEquals(0.3, new MusicalKey(9, true, 1).mirexScore(cMajor));
        assertEquals(0.2, new MusicalKey(0, true, 1).mirexScore(cMajor));
        assertEquals(0.0, new MusicalKey(2, false, 1).mirexScore(cMajor));
        MusicalKey aMinor = MusicalKey.parse("A:min");
        assertEquals(0.3, cMajor.mirexScore(aMinor));
        assertEquals("Db minor", MusicalKey.parse("C# minor").name());
        assertNull(MusicalKey.parse("H:maj"));
    }

    @Test
    void theShippedProfilesRoundTripThroughTheirText() {
        KeyDetector d = KeyDetector.bundled();
        assertEquals(d.toText(), KeyDetector.parse(d.toText()).toText());
    }
}
