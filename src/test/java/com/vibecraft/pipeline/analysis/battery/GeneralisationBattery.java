package com.vibecraft.pipeline.analysis.battery;

import com.vibecraft.pipeline.analysis.battery.SongSynth.Arrangement;
import com.vibecraft.pipeline.analysis.battery.SongSynth.Drums;
import com.vibecraft.pipeline.analysis.battery.SongSynth.Part;
import com.vibecraft.pipeline.analysis.battery.SongSynth.Timbre;

import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The generalisation battery: songs generated in code (no corpus) over forms, tempi, part
 * lengths, kinds of contrast between parts and tempo changes, each with exact truth boundaries
 * and part letters. Every part loops a 1–4 bar progression, so a part is one homogeneous section.
 *
 * <p>Tags in {@link BatterySong#tests()}: {@code textbook} (the A-B-A-B example),
 * {@code form}, {@code tempo}, {@code length}, {@code off-bar} (a boundary not on the earlier bar
 * grid), {@code harmony-only}, {@code timbre-only}, {@code drums-only}, {@code loudness}
 * (loudness, with or without a drum change), {@code full} (everything differs),
 * {@code no-beat} (beatless intro/outro), {@code break} (long instrumental break),
 * {@code tempo-change}.
 *
 * <p>Part lengths are at least 8 s (the detector's minimum section length), except where a name
 * says otherwise: 6 bars at 180 BPM are exactly 8.0 s.
 */
public final class GeneralisationBattery {

    private GeneralisationBattery() {
    }

    // chords: {bass root, voicing...}
    static final int[] C = {36, 55, 60, 64};
    static final int[] D = {38, 57, 62, 66};
    static final int[] DM = {38, 57, 62, 65};
    static final int[] E = {40, 56, 59, 64};
    static final int[] EM = {40, 55, 59, 64};
    static final int[] EB = {39, 55, 58, 63};
    static final int[] F = {41, 57, 60, 65};
    static final int[] FM = {41, 56, 60, 65};
    static final int[] G = {43, 55, 59, 62};
    static final int[] AM = {45, 57, 60, 64};
    static final int[] A = {45, 57, 61, 64};
    static final int[] B = {47, 54, 59, 63};
    static final int[] CSM = {37, 56, 61, 64};
    static final int[] DB = {37, 56, 61, 65};
    static final int[] CM = {36, 55, 60, 63};
    static final int[] BB = {46, 58, 62, 65};
    static final int[] GM = {43, 55, 58, 62};

    /** C major pop: C G Am F. */
    static final int[][] POP_C = {C, G, AM, F};
    /** E major: E B C#m A. */
    static final int[][] POP_E = {E, B, CSM, A};
    /** F minor: Fm Db Eb Cm. */
    static final int[][] MINOR_F = {FM, DB, EB, CM};
    /** A minor: Am Dm Am Em (the "soft minor chords"). */
    static final int[][] MINOR_A = {AM, DM, AM, EM};
    /** C major: C F G C (the "major chords"). */
    static final int[][] MAJOR_C = {C, F, G, C};
    /** Same key as POP_C, other chords: F Em Dm G. */
    static final int[][] OTHER_C = {F, EM, DM, G};
    /** G minor two-chord vamp: Gm Bb. */
    static final int[][] VAMP_G = {GM, BB};
    /** D major: D G (two chords). */
    static final int[][] D_G = {D, G};

    /** Verse: plucked, C major pop, rock beat, bass, melody. */
    static final Arrangement VERSE = new Arrangement(POP_C, 4, Timbre.PLUCK, true, 11, Drums.ROCK, 0.7);
    /** Chorus: bright saw, E major, four-on-the-floor, louder, other melody. */
    static final Arrangement CHORUS = new Arrangement(POP_E, 4, Timbre.SAW, true, 23, Drums.FOUR, 1.0);
    /** Bridge: organ, F minor, half-time, no melody. */
    static final Arrangement BRIDGE = new Arrangement(MINOR_F, 4, Timbre.ORGAN, true, 0, Drums.HALF, 0.8);
    /** Beatless intro/outro: sustained pad on a G minor vamp, no bass, drums or melody. */
    static final Arrangement PAD_INTRO = new Arrangement(VAMP_G, 8, Timbre.PAD, false, 0, Drums.NONE, 0.6);
    /** Instrumental break: organ, D-G vamp, half-time, no melody. */
    static final Arrangement BREAK = new Arrangement(D_G, 4, Timbre.ORGAN, true, 0, Drums.HALF, 0.85);

    /** Letter → arrangement for the full-contrast form songs (I = beatless intro/outro, X = break). */
    static final Map<Character, Arrangement> FULL = Map.of('A', VERSE, 'B', CHORUS, 'C', BRIDGE, 'I', PAD_INTRO,
            'X', BREAK);

    /** Softly held: the battery is about 350 MB of samples, which the test JVM may take back between tests. */
    private static SoftReference<List<BatterySong>> cache = new SoftReference<>(null);

    /** The battery (48 songs, 45–150 s each; about 1.5 s to generate, kept while memory allows). */
    public static synchronized List<BatterySong> songs() {
        List<BatterySong> songs = cache.get();
        if (songs == null) {
            songs = Collections.unmodifiableList(build());
            cache = new SoftReference<>(songs);
        }
        return songs;
    }

    /**
     * The battery's songs whose names are in {@code names}, in the battery's order: the same songs as
     * {@link #songs()} has (each is rendered from its own seed), but only these are rendered when the
     * whole battery is not at hand (9 of 48 for the codec and lead-in tests).
     */
    public static synchronized List<BatterySong> songs(Set<String> names) {
        List<BatterySong> all = cache.get();
        if (all != null) {
            return all.stream().filter(s -> names.contains(s.name())).toList();
        }
        ONLY.set(names);
        try {
            return build().stream().filter(Objects::nonNull).toList();
        } finally {
            ONLY.remove();
        }
    }

    /** While {@link #songs(Set)} builds: the names to render; the others are left out (null). */
    private static final ThreadLocal<Set<String>> ONLY = new ThreadLocal<>();

    private static List<BatterySong> build() {
        List<BatterySong> out = new ArrayList<>();

        // --- the textbook case: A soft minor chords, B loud major chords + kick on every beat, 120 BPM
        Arrangement softMinor = new Arrangement(MINOR_A, 4, Timbre.PAD, false, 0, Drums.NONE, 0.3);
        Arrangement loudMajor = new Arrangement(MAJOR_C, 4, Timbre.PAD, false, 0, Drums.KICK, 1.0);
        Map<Character, Arrangement> textbook = Map.of('A', softMinor, 'B', loudMajor);
        for (double sec : new double[] {15, 16, 20, 30}) {
            String bars = fmt(sec / 2.0);
            out.add(form("textbook ABAB 120bpm " + fmt(sec) + "s parts (" + bars + " bars)",
                    "textbook full" + (sec % 2 != 0 ? " off-bar" : ""), textbook, "ABAB", 120, sec / 2.0, 1));
        }

        // --- forms, full contrast
        out.add(form("ABAB 100bpm 8 bars full", "form full", FULL, "ABAB", 100, 8, 2));
        out.add(form("ABABCB 120bpm 8 bars full", "form full", FULL, "ABABCB", 120, 8, 3));
        out.add(form("AABA 96bpm 8 bars full", "form full", FULL, "AABA", 96, 8, 4));
        out.add(form("AABA 150bpm 12 bars full", "form full", FULL, "AABA", 150, 12, 5));
        out.add(form("ABACABA 140bpm 6 bars full", "form full", FULL, "ABACABA", 140, 6, 6));
        out.add(form("ABABCB 84bpm 6 bars full", "form full", FULL, "ABABCB", 84, 6, 7));
        out.add(song("IABABI 110bpm no-beat intro/outro 6+8 bars", "form no-beat full", 8,
                p('I', 110, 6), p('A', 110, 8), p('B', 110, 8), p('A', 110, 8), p('B', 110, 8), p('I', 110, 6)));
        out.add(song("IABAI 72bpm no-beat intro/outro 4+6 bars", "form no-beat full", 9,
                p('I', 72, 4), p('A', 72, 6), p('B', 72, 6), p('A', 72, 6), p('I', 72, 4)));
        out.add(song("ABABXB 100bpm 8 bars + 16-bar break", "form break full", 10,
                p('A', 100, 8), p('B', 100, 8), p('A', 100, 8), p('B', 100, 8), p('X', 100, 16), p('B', 100, 8)));
        out.add(song("IABXAB 128bpm no-beat intro 9.37s + 24-bar break", "form break no-beat off-bar full", 11,
                Part.ofSeconds('I', PAD_INTRO, 128, 9.37), p('A', 128, 8), p('B', 128, 8), p('X', 128, 24),
                p('A', 128, 8), p('B', 128, 8)));

        // --- tempi (ABAB, full contrast), including non-integer
        out.add(form("ABAB 60bpm 8 bars full", "tempo full", FULL, "ABAB", 60, 8, 12));
        out.add(form("ABAB 72.5bpm 8 bars full", "tempo full", FULL, "ABAB", 72.5, 8, 13));
        out.add(form("ABAB 87.3bpm 8 bars full", "tempo full", FULL, "ABAB", 87.3, 8, 14));
        out.add(form("ABAB 133.3bpm 8 bars full", "tempo full", FULL, "ABAB", 133.3, 8, 15));
        out.add(form("ABAB 165bpm 12 bars full", "tempo full", FULL, "ABAB", 165, 12, 16));
        out.add(form("ABABAB 180bpm 6 bars (8.0 s) full", "tempo full", FULL, "ABABAB", 180, 6, 17));

        // --- part lengths, on and off the bar line
        out.add(form("ABAB 120bpm 6 bars full", "length full", FULL, "ABAB", 120, 6, 18));
        out.add(form("ABAB 120bpm 7.5 bars full", "length off-bar full", FULL, "ABAB", 120, 7.5, 19));
        out.add(form("ABAB 120bpm 10 bars full", "length full", FULL, "ABAB", 120, 10, 20));
        out.add(form("ABAB 120bpm 12 bars full", "length full", FULL, "ABAB", 120, 12, 21));
        out.add(form("ABAB 120bpm 16 bars full", "length full", FULL, "ABAB", 120, 16, 22));
        out.add(form("ABAB 100bpm 7.5 bars full", "length off-bar full", FULL, "ABAB", 100, 7.5, 23));
        out.add(form("ABAB 116bpm 8.25 bars (off by a beat) full", "length off-bar full", FULL, "ABAB", 116, 8.25, 24));
        out.add(form("ABAB 104bpm 9.6 bars (off the beat) full", "length off-bar full", FULL, "ABAB", 104, 9.6, 25));

        // --- only harmony differs (same instruments, drums, loudness; the melody keeps its rhythm and chord-tone pattern)
        Arrangement h = new Arrangement(POP_C, 4, Timbre.SAW, true, 31, Drums.ROCK, 0.8);
        out.add(form("ABAB 120bpm 8 bars harmony-only", "harmony-only", pair(h, h.withChords(POP_E)), "ABAB",
                120, 8, 26));
        out.add(form("AABA 96bpm 8 bars harmony-only", "harmony-only form",
                pair(h.withTimbre(Timbre.PLUCK), h.withTimbre(Timbre.PLUCK).withChords(MINOR_F)), "AABA", 96, 8, 27));
        out.add(form("ABABCB 105bpm 8 bars harmony-only", "harmony-only form",
                Map.of('A', h.withTimbre(Timbre.ORGAN), 'B', h.withTimbre(Timbre.ORGAN).withChords(POP_E),
                        'C', h.withTimbre(Timbre.ORGAN).withChords(MINOR_F)), "ABABCB", 105, 8, 28));
        out.add(form("ABAB 90bpm 7.5 bars harmony-only", "harmony-only off-bar", pair(h, h.withChords(MINOR_F)),
                "ABAB", 90, 7.5, 29));
        out.add(form("ABAB 120bpm 8 bars harmony-only same key", "harmony-only", pair(h, h.withChords(OTHER_C)),
                "ABAB", 120, 8, 30));
        out.add(form("ABAB 140bpm 10 bars harmony-only pad", "harmony-only",
                pair(h.withTimbre(Timbre.PAD), h.withTimbre(Timbre.PAD).withChords(POP_E)), "ABAB", 140, 10, 31));

        // --- only timbre differs (same chords, drums, loudness, bass and melody)
        Arrangement t = new Arrangement(POP_C, 4, Timbre.PAD, true, 37, Drums.ROCK, 0.8);
        out.add(form("ABAB 120bpm 8 bars timbre-only pad/saw", "timbre-only", pair(t, t.withTimbre(Timbre.SAW)),
                "ABAB", 120, 8, 32));
        out.add(form("AABA 100bpm 8 bars timbre-only pluck/organ", "timbre-only form",
                pair(t.withTimbre(Timbre.PLUCK), t.withTimbre(Timbre.ORGAN)), "AABA", 100, 8, 33));
        out.add(form("ABABCB 128bpm 8 bars timbre-only pad/saw/organ", "timbre-only form",
                Map.of('A', t, 'B', t.withTimbre(Timbre.SAW), 'C', t.withTimbre(Timbre.ORGAN)), "ABABCB", 128, 8, 34));
        out.add(form("ABAB 75.5bpm 6 bars timbre-only organ/pluck", "timbre-only tempo",
                pair(t.withTimbre(Timbre.ORGAN), t.withTimbre(Timbre.PLUCK)), "ABAB", 75.5, 6, 35));
        out.add(form("ABAB 150bpm 12 bars timbre-only saw/pluck", "timbre-only",
                pair(t.withTimbre(Timbre.SAW), t.withTimbre(Timbre.PLUCK)), "ABAB", 150, 12, 36));

        // --- only drums / loudness differ (same chords and instruments)
        Arrangement dr = new Arrangement(POP_C, 4, Timbre.PLUCK, true, 41, Drums.HATS, 0.8);
        out.add(form("ABAB 120bpm 8 bars drums-only hats/rock", "drums-only", pair(dr, dr.withDrums(Drums.ROCK)),
                "ABAB", 120, 8, 38));
        out.add(form("AABA 110bpm 8 bars drums-only none/four", "drums-only form",
                pair(dr.withDrums(Drums.NONE), dr.withDrums(Drums.FOUR)), "AABA", 110, 8, 39));
        out.add(form("ABAB 92bpm 7.5 bars drums-only half/rock", "drums-only off-bar",
                pair(dr.withDrums(Drums.HALF), dr.withDrums(Drums.ROCK)), "ABAB", 92, 7.5, 40));
        out.add(form("ABAB 120bpm 8 bars drums+loudness soft-hats/loud-rock", "loudness",
                pair(dr.withGain(0.35), dr.withDrums(Drums.ROCK).withGain(1.0)), "ABAB", 120, 8, 42));
        out.add(form("ABAB 100bpm 8 bars loudness-only (x0.35 vs x1)", "loudness",
                pair(dr.withDrums(Drums.ROCK).withGain(0.35), dr.withDrums(Drums.ROCK).withGain(1.0)), "ABAB", 100,
                8, 43));
        out.add(form("ABACABA 126bpm 6 bars drums+loudness", "loudness form",
                Map.of('A', dr.withDrums(Drums.ROCK), 'B', dr.withDrums(Drums.FOUR).withGain(1.0),
                        'C', dr.withDrums(Drums.NONE).withGain(0.4)), "ABACABA", 126, 6, 44));

        // --- tempo changes: a part at another tempo
        out.add(song("ABAB A 100bpm / B 130bpm 8 bars full", "tempo-change full", 45,
                p('A', 100, 8), p('B', 130, 8), p('A', 100, 8), p('B', 130, 8)));
        out.add(song("AABA A 120bpm / B 80bpm 8 bars full", "tempo-change form full", 46,
                p('A', 120, 8), p('A', 120, 8), p('B', 80, 8), p('A', 120, 8)));
        out.add(song("ABA A 96bpm / B 144bpm harmony+tempo 8/12 bars", "tempo-change harmony-only", 47,
                new Part('A', h, 96, 8), new Part('B', h.withChords(POP_E), 144, 12), new Part('A', h, 96, 8)));
        return out;
    }

    private static Part p(char letter, double bpm, double bars) {
        return new Part(letter, FULL.get(letter), bpm, bars);
    }

    private static Map<Character, Arrangement> pair(Arrangement a, Arrangement b) {
        return Map.of('A', a, 'B', b);
    }

    /** A form (letters) with every part the same length in bars at one tempo. */
    static BatterySong form(String name, String tests, Map<Character, Arrangement> arr, String letters, double bpm,
                            double bars, long seed) {
        Part[] parts = new Part[letters.length()];
        for (int i = 0; i < parts.length; i++) {
            char c = letters.charAt(i);
            parts[i] = new Part(c, arr.get(c), bpm, bars);
        }
        return song(name, tests, seed, parts);
    }

    static BatterySong song(String name, String tests, long seed, Part... parts) {
        Set<String> only = ONLY.get();
        if (only != null && !only.contains(name)) {
            return null;
        }
        SongSynth.Rendered r = new SongSynth(seed).render(List.of(parts));
        return new BatterySong(name, r.samples(), r.boundaries(), r.letters(), tests);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
