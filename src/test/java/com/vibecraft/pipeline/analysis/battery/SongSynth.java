package com.vibecraft.pipeline.analysis.battery;

import com.vibecraft.pipeline.support.TestAudio;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small deterministic synthesiser for test songs: 22.05 kHz mono float audio made of parts,
 * each part playing one {@link Arrangement} (a looping chord progression on one chord instrument,
 * optionally a bass, a melody and a drum pattern, at a part loudness) at its own tempo.
 *
 * <p>Chord, bass and melody voices are wavetable oscillators (one band-limited single-cycle table
 * per timbre and MIDI note, built once from a sine table, read with linear interpolation); drums
 * are buffers computed once: kick = pitch-swept sine, snare = noise burst + 180 Hz tone, hi-hat =
 * high-passed (first-differenced) noise. Everything is seeded, so a song is the same on every run.
 *
 * <p>Each part starts at its own downbeat: its pattern (chords, bass, melody, drums) restarts at
 * the part start, so a part that lasts 7.5 bars makes every later part start half a bar off the
 * earlier bar grid, as in a real song with an odd-length phrase. The truth boundary of a part is
 * its first sample ({@link Rendered#boundaries}).
 */
public final class SongSynth {

    public static final int SR = 22050;

    /** Chord and voice colours. All tables are normalised to the RMS of a unit sine. */
    public enum Timbre {
        /** Soft sine pad: slow attack, sustained, fundamental plus a little 2nd/3rd harmonic. */
        PAD,
        /** Bright saw-like additive (1/h up to the Nyquist), sustained with a slight decay. */
        SAW,
        /** Plucked: rich spectrum (1/h^1.3), re-struck on every beat, fast exponential decay. */
        PLUCK,
        /** Organ-like drawbars (harmonics 1,2,3,4,6,8), instant attack, flat sustain. */
        ORGAN,
        /** Bass: fundamental with 2nd and 3rd harmonics, decaying. */
        BASS,
        /** Melody lead: triangle-like (odd harmonics 1/h²), short notes. */
        LEAD
    }

    /** Drum patterns (positions are beats of a 4/4 bar counted from the part start). */
    public enum Drums {
        NONE,
        /** Kick on 1 and 3, snare on 2 and 4, hi-hat on every eighth. */
        ROCK,
        /** Kick on every beat, hi-hat on the off-beat eighths. */
        FOUR,
        /** Half time: kick on 1, snare on 3, hi-hat on every beat. */
        HALF,
        /** Hi-hat eighths only. */
        HATS,
        /** Kick on every beat only. */
        KICK
    }

    /**
     * What a part plays. {@code chords[k][0]} is the bass root (MIDI), the rest the chord voicing;
     * each chord lasts {@code chordBeats} and the progression loops. {@code melodySeed} 0 = no
     * melody, otherwise the seed of a 2-bar chord-tone motif that repeats. {@code gain} is the part
     * loudness (linear).
     */
    public record Arrangement(int[][] chords, double chordBeats, Timbre timbre, boolean bass, long melodySeed,
                              Drums drums, double gain) {

        public Arrangement withChords(int[][] c) {
            return new Arrangement(c, chordBeats, timbre, bass, melodySeed, drums, gain);
        }

        public Arrangement withTimbre(Timbre t) {
            return new Arrangement(chords, chordBeats, t, bass, melodySeed, drums, gain);
        }

        public Arrangement withDrums(Drums d) {
            return new Arrangement(chords, chordBeats, timbre, bass, melodySeed, d, gain);
        }

        public Arrangement withGain(double g) {
            return new Arrangement(chords, chordBeats, timbre, bass, melodySeed, drums, g);
        }

        public Arrangement withMelody(long seed) {
            return new Arrangement(chords, chordBeats, timbre, bass, seed, drums, gain);
        }

        public Arrangement withBass(boolean b) {
            return new Arrangement(chords, chordBeats, timbre, b, melodySeed, drums, gain);
        }
    }

    /** One part: a letter (equal letters = the same material), what it plays, its tempo and length in bars of 4 beats. */
    public record Part(char letter, Arrangement arrangement, double bpm, double bars) {

        public double seconds() {
            return bars * 4 * 60.0 / bpm;
        }

        /** A part of a given length in seconds (not necessarily a whole number of bars or beats). */
        public static Part ofSeconds(char letter, Arrangement a, double bpm, double sec) {
            return new Part(letter, a, bpm, sec / (4 * 60.0 / bpm));
        }
    }

    /** A rendered song: samples, the inner boundaries (seconds, at exact sample times) and one letter per part. */
    public record Rendered(float[] samples, double[] boundaries, String letters) {
    }

    private static final int TABLE = 2048;
    private static final float[] SINE = new float[TABLE];

    static {
        for (int i = 0; i < TABLE; i++) {
            SINE[i] = (float) Math.sin(2 * Math.PI * i / TABLE);
        }
    }

    private static final Map<Integer, float[]> TABLES = new HashMap<>();

    private final float[] kick;
    private final float[] snare;
    private final float[] hat;

    /** @param seed noise of the drums */
    public SongSynth(long seed) {
        Random r = new Random(seed);
        kick = new float[(int) (0.35 * SR)];
        double ph = 0;
        for (int i = 0; i < kick.length; i++) {
            double t = i / (double) SR;
            double f = 45 + 110 * Math.exp(-t / 0.035);
            ph += 2 * Math.PI * f / SR;
            double click = i < 40 ? (2 * r.nextDouble() - 1) * 0.3 * (1 - i / 40.0) : 0;
            kick[i] = (float) (Math.sin(ph) * Math.exp(-t / 0.13) + click);
        }
        snare = new float[(int) (0.22 * SR)];
        for (int i = 0; i < snare.length; i++) {
            double t = i / (double) SR;
            snare[i] = (float) ((2 * r.nextDouble() - 1) * 0.8 * Math.exp(-t / 0.05)
                    + 0.5 * Math.sin(2 * Math.PI * 180 * t) * Math.exp(-t / 0.07));
        }
        hat = new float[(int) (0.07 * SR)];
        double prev = 0;
        for (int i = 0; i < hat.length; i++) {
            double t = i / (double) SR;
            double n = 2 * r.nextDouble() - 1;
            hat[i] = (float) ((n - prev) * 0.6 * Math.exp(-t / 0.015));
            prev = n;
        }
    }

    /** Renders the parts one after another; the whole song is scaled to a peak of 0.8. */
    public Rendered render(List<Part> parts) {
        double total = 0;
        for (Part p : parts) {
            total += p.seconds();
        }
        float[] x = new float[(int) Math.round(total * SR) + SR / 2];
        double t = 0;
        List<Double> bounds = new ArrayList<>();
        StringBuilder letters = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            long s0 = Math.round(t * SR);
            long s1 = Math.round((t + p.seconds()) * SR);
            if (i > 0) {
                bounds.add(s0 / (double) SR);
            }
            letters.append(p.letter());
            renderPart(x, p, (int) s0, (int) s1);
            t += p.seconds();
        }
        float peak = 0;
        for (float v : x) {
            peak = Math.max(peak, Math.abs(v));
        }
        if (peak > 0) {
            float g = 0.8f / peak;
            for (int i = 0; i < x.length; i++) {
                x[i] *= g;
            }
        }
        return new Rendered(x, bounds.stream().mapToDouble(Double::doubleValue).toArray(), letters.toString());
    }

    private void renderPart(float[] x, Part p, int s0, int s1) {
        Arrangement a = p.arrangement();
        double beat = 60.0 / p.bpm();
        double g = a.gain();
        double partSec = (s1 - s0) / (double) SR;
        // chords
        double chordSec = a.chordBeats() * beat;
        int n = a.chords().length;
        for (int k = 0; k * chordSec < partSec - 1e-9; k++) {
            int[] ch = a.chords()[k % n];
            double c0 = k * chordSec;
            double dur = Math.min(chordSec, partSec - c0);
            double amp = g * 0.30 / (ch.length - 1);
            for (int v = 1; v < ch.length; v++) {
                if (a.timbre() == Timbre.PLUCK) {
                    for (double b = 0; b < dur - 1e-9; b += beat) {
                        tone(x, s0, s1, c0 + b, Math.min(beat, dur - b), ch[v], Timbre.PLUCK, amp * 1.6, 0.003, 0.25, 0);
                    }
                } else {
                    double attack = a.timbre() == Timbre.PAD ? 0.08 : a.timbre() == Timbre.SAW ? 0.02 : 0.004;
                    double tau = a.timbre() == Timbre.SAW ? 1.2 : 1e9;
                    double floor = a.timbre() == Timbre.SAW ? 0.6 : 1;
                    tone(x, s0, s1, c0, dur, ch[v], a.timbre(), amp, attack, tau, floor);
                }
            }
        }
        // bass: chord root on beats 1 and 3
        if (a.bass()) {
            for (int b = 0; b * beat < partSec - 1e-9; b += 2) {
                int k = (int) Math.floor(b * beat / chordSec + 1e-9);
                int root = a.chords()[k % n][0];
                while (root > 47) {
                    root -= 12;
                }
                while (root < 36) {
                    root += 12;
                }
                double start = b * beat;
                tone(x, s0, s1, start, Math.min(2 * beat * 0.9, partSec - start), root, Timbre.BASS, g * 0.28,
                        0.005, 0.6, 0.2);
            }
        }
        // melody: a 2-bar motif of eighth notes (chord tones an octave up, or rests), repeated
        if (a.melodySeed() != 0) {
            Random r = new Random(a.melodySeed());
            int[] motif = new int[16];
            for (int i = 0; i < 16; i++) {
                motif[i] = r.nextDouble() < 0.3 ? -1 : r.nextInt(3);
            }
            double eighth = beat / 2;
            for (int e = 0; e * eighth < partSec - 1e-9; e++) {
                int m = motif[e % 16];
                if (m < 0) {
                    continue;
                }
                double start = e * eighth;
                int k = (int) Math.floor(start / chordSec + 1e-9);
                int[] ch = a.chords()[k % n];
                int note = ch[1 + Math.min(m, ch.length - 2)] + 12;
                tone(x, s0, s1, start, Math.min(eighth * 0.95, partSec - start), note, Timbre.LEAD, g * 0.16,
                        0.005, 0.25, 0.3);
            }
        }
        // drums
        Drums d = a.drums();
        if (d != Drums.NONE) {
            double eighth = beat / 2;
            for (int e = 0; e * eighth < partSec - 1e-9; e++) {
                int inBar = e % 8; // eighth position in the bar
                boolean onBeat = inBar % 2 == 0;
                int beatInBar = inBar / 2;
                double start = e * eighth;
                boolean k = false;
                boolean s = false;
                boolean h = false;
                switch (d) {
                    case ROCK -> {
                        k = onBeat && (beatInBar == 0 || beatInBar == 2);
                        s = onBeat && (beatInBar == 1 || beatInBar == 3);
                        h = true;
                    }
                    case FOUR -> {
                        k = onBeat;
                        h = !onBeat;
                    }
                    case HALF -> {
                        k = onBeat && beatInBar == 0;
                        s = onBeat && beatInBar == 2;
                        h = onBeat;
                    }
                    case HATS -> h = true;
                    case KICK -> k = onBeat;
                    default -> {
                    }
                }
                if (k) {
                    add(x, s0, s1, start, kick, g * 0.55);
                }
                if (s) {
                    add(x, s0, s1, start, snare, g * 0.30);
                }
                if (h) {
                    add(x, s0, s1, start, hat, g * 0.12);
                }
            }
        }
    }

    /** Adds a drum buffer at {@code startSec} after the part start (it may ring past the part end). */
    private static void add(float[] x, int s0, int s1, double startSec, float[] buf, double amp) {
        int i0 = s0 + (int) Math.round(startSec * SR);
        if (i0 >= s1) {
            return;
        }
        int len = Math.min(buf.length, x.length - i0);
        for (int i = 0; i < len; i++) {
            x[i0 + i] += (float) (amp * buf[i]);
        }
    }

    /**
     * Adds one note: attack ramp, then {@code floor + (1-floor)·exp(-t/tau)}, and a 15 ms fade at
     * the end; the note is cut at the part end {@code s1}.
     */
    private static void tone(float[] x, int s0, int s1, double startSec, double durSec, int midi, Timbre timbre,
                             double amp, double attackSec, double tauSec, double floor) {
        int i0 = s0 + (int) Math.round(startSec * SR);
        int len = (int) Math.round(durSec * SR);
        int i1 = Math.min(Math.min(s1, x.length), i0 + len);
        if (i1 <= i0) {
            return;
        }
        float[] tab = table(timbre, midi);
        double f = TestAudio.midiHz(midi);
        double inc = f * TABLE / SR;
        double phase = 0;
        int att = Math.max(1, (int) (attackSec * SR));
        int fade = Math.min((int) (0.015 * SR), (i1 - i0) / 2);
        double dec = Math.exp(-1.0 / (tauSec * SR));
        double e = 1;
        for (int i = i0; i < i1; i++) {
            int j = i - i0;
            double env = (floor + (1 - floor) * e);
            if (j < att) {
                env *= j / (double) att;
            }
            int left = i1 - 1 - i;
            if (left < fade) {
                env *= left / (double) fade;
            }
            int idx = (int) phase;
            double fr = phase - idx;
            double v = tab[idx] + fr * (tab[idx + 1] - tab[idx]);
            x[i] += (float) (amp * env * v);
            phase += inc;
            if (phase >= TABLE) {
                phase -= TABLE;
            }
            e *= dec;
        }
    }

    /** The single-cycle table of a timbre at a note (harmonics up to 10 kHz), RMS of a unit sine. */
    private static synchronized float[] table(Timbre timbre, int midi) {
        int key = timbre.ordinal() * 256 + midi;
        float[] t = TABLES.get(key);
        if (t != null) {
            return t;
        }
        double f = TestAudio.midiHz(midi);
        int hMax = (int) Math.floor(10000.0 / f);
        double[] amps = new double[Math.max(1, Math.min(hMax, 40)) + 1];
        for (int h = 1; h < amps.length; h++) {
            amps[h] = switch (timbre) {
                case PAD -> h == 1 ? 1 : h == 2 ? 0.2 : h == 3 ? 0.05 : 0;
                case SAW -> 1.0 / h;
                case PLUCK -> h <= 24 ? 1.0 / Math.pow(h, 1.3) : 0;
                case ORGAN -> switch (h) {
                    case 1 -> 1.0;
                    case 2 -> 0.8;
                    case 3 -> 0.6;
                    case 4 -> 0.5;
                    case 6 -> 0.3;
                    case 8 -> 0.25;
                    default -> 0;
                };
                case BASS -> h == 1 ? 1 : h == 2 ? 0.5 : h == 3 ? 0.25 : 0;
                case LEAD -> h % 2 == 1 ? 1.0 / (h * h) : 0;
            };
        }
        double norm = 0;
        for (double a : amps) {
            norm += a * a;
        }
        norm = Math.sqrt(norm);
        t = new float[TABLE + 1];
        for (int h = 1; h < amps.length; h++) {
            if (amps[h] == 0) {
                continue;
            }
            float a = (float) (amps[h] / norm);
            for (int i = 0; i < TABLE; i++) {
                t[i] += a * SINE[(int) ((long) h * i % TABLE)];
            }
        }
        t[TABLE] = t[0];
        TABLES.put(key, t);
        return t;
    }
}
