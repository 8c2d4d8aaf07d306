package com.vibecraft.pipeline.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vibecraft.pipeline.analysis.battery.SongSynth;
import com.vibecraft.pipeline.analysis.battery.SongSynth.Arrangement;
import com.vibecraft.pipeline.analysis.battery.SongSynth.Drums;
import com.vibecraft.pipeline.analysis.battery.SongSynth.Part;
import com.vibecraft.pipeline.analysis.battery.SongSynth.Timbre;
import com.vibecraft.pipeline.analysis.battery.StyleSongs;
import com.vibecraft.pipeline.analysis.detector.SoundMeasures;
import com.vibecraft.pipeline.audio.AudioKind;
import com.vibecraft.pipeline.audio.DecodedAudio;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Key, mood and genre of generated songs whose character is not in doubt. */
class SongDescriberTest {

    static final LocalStructureDetector DETECTOR = new LocalStructureDetector();
    static final SongDescriber DESCRIBER = SongDescriber.bundled();
    private static final Map<String, SongDescriber.Description> DESCRIBED = new ConcurrentHashMap<>();

    static SongDescriber.Description describe(String name, float[] samples, List<Section> sections) {
        return DESCRIBED.computeIfAbsent(name, n -> {
            DetectorResult r = DETECTOR.detect(new DecodedAudio(samples, SongSynth.SR, AudioKind.WAV));
            return DESCRIBER.describe(r.features(), r.beatTimes(), r.bpm(), sections);
        });
    }

    static SongDescriber.Description electronic() {
        return describe("electronic", StyleSongs.electronicTrack(), List.of());
    }

    static SongDescriber.Description piano() {
        return describe("piano", StyleSongs.slowPiano(), List.of());
    }

    static SongDescriber.Description sadPiano() {
        return describe("sad piano", StyleSongs.sadPiano(), List.of());
    }

    static SongDescriber.Description rock() {
        return describe("rock", StyleSongs.rockBand(), List.of());
    }

    @Test
    void aFourOnTheFloorSynthTrackAt128BpmIsElectronic() {
        assertEquals("electronic", electronic().genre().primary(), electronic().genre().toString());
    }

    @Test
    void aSlowSoloPianoIsClassical() {
        assertEquals("classical", piano().genre().primary(), piano().genre().toString());
        assertEquals("classical", sadPiano().genre().primary(), sadPiano().genre().toString());
    }

    @Test
    void aDistortedGuitarBandAt150BpmIsRock() {
        assertEquals("rock", rock().genre().primary(), rock().genre().toString());
    }

    @Test
    void genreSharesAreARankedDistribution() {
        for (SongDescriber.Description d : List.of(electronic(), piano(), rock())) {
            Genre g = d.genre();
            assertTrue(g.secondary().size() <= 2, g.toString());
            double previous = g.confidence();
            double total = g.confidence();
            for (Genre.GenreGuess s : g.secondary()) {
                assertTrue(s.confidence() <= previous && s.confidence() >= GenreRules.SECONDARY_MIN_SHARE, g.toString());
                assertTrue(!s.name().equals(g.primary()), g.toString());
                previous = s.confidence();
                total += s.confidence();
            }
            assertTrue(total <= 1.0 + 1e-9, g.toString());
        }
    }

    @Test
    void moodFollowsTheCharacterOfTheMusic() {
        Mood rock = rock().mood();
        Mood piano = piano().mood();
        Mood sad = sadPiano().mood();
        Mood dance = electronic().mood();
        assertTrue(rock.energy() > piano.energy() + 0.3, rock + " vs " + piano);
        assertTrue(rock.tags().contains("energetic"), rock.toString());
        assertTrue(piano.tags().contains("calm"), piano.toString());
        assertTrue(dance.tags().contains("danceable"), dance.toString());
        assertTrue(dance.danceability() > piano.danceability(), dance + " vs " + piano);
        // the same kind of ballad in a minor key
        assertTrue(sad.valence() < piano.valence() - 0.2, sad + " vs " + piano);
        assertTrue(sad.tags().contains("melancholic"), sad.toString());
        assertTrue(rock.tension() > piano.tension(), rock + " vs " + piano);
        for (Mood m : List.of(rock, piano, sad, dance)) {
            for (double v : new double[] {m.energy(), m.valence(), m.danceability(), m.tension()}) {
                assertTrue(v >= 0 && v <= 1, m.toString());
            }
            assertTrue(!m.tags().isEmpty() && m.tags().size() <= MoodRules.MAX_TAGS, m.toString());
        }
    }

    @Test
    void theKeysOfGeneratedSongsAreFound() {
        assertEquals("C major", piano().key().name());
        assertEquals("D minor", sadPiano().key().name());
    }

    /** I IV V vi IV V I I in C major: bass root, then the triad. */
    static final int[][] C_MAJOR = {{36, 55, 60, 64}, {41, 57, 60, 65}, {43, 55, 59, 62}, {45, 57, 60, 64},
            {41, 57, 60, 65}, {43, 55, 59, 62}, {36, 55, 60, 64}, {36, 55, 60, 64}};
    /** The same progression a whole tone up, in D major. */
    static final int[][] D_MAJOR = transposed(C_MAJOR, 2);
    /** vi IV I V in C major: other chords, the same key. */
    static final int[][] C_MAJOR_OTHER = {{45, 57, 60, 64}, {41, 57, 60, 65}, {36, 55, 60, 64}, {43, 55, 59, 62}};

    static int[][] transposed(int[][] chords, int semitones) {
        int[][] out = new int[chords.length][];
        for (int i = 0; i < chords.length; i++) {
            out[i] = chords[i].clone();
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] += semitones;
            }
        }
        return out;
    }

    static float[] twoParts(int[][] first, int[][] second, double gainSecond, Drums drumsSecond) {
        Arrangement a = new Arrangement(first, 2, Timbre.PLUCK, true, 11, Drums.ROCK, 0.5);
        Arrangement b = new Arrangement(second, 2, Timbre.PLUCK, true, 11, drumsSecond, gainSecond);
        return new SongSynth(3).render(List.of(new Part('A', a, 120, 12), new Part('B', b, 120, 12))).samples();
    }

    static List<Section> halves() {
        return List.of(new Section("s0", 0, "verse", "verse", "Verse 1", 0, 0, 0, 24, 1, 0.1),
                new Section("s1", 1, "chorus", "chorus", "Chorus 1", 100, 1, 24, 48, 1, 0.2));
    }

    @Test
    void aSectionThatModulatesGetsItsOwnKey() {
        SongDescriber.Description d = describe("modulation", twoParts(C_MAJOR, D_MAJOR, 0.5, Drums.ROCK), halves());
        assertEquals("C major", d.sections().get(0).key(), d.toString());
        assertEquals("D major", d.sections().get(1).key(), d.toString());
    }

    @Test
    void sectionsInTheSongsKeyKeepIt() {
        SongDescriber.Description d = describe("no modulation", twoParts(C_MAJOR, C_MAJOR_OTHER, 0.5, Drums.ROCK), halves());
        assertEquals("C major", d.key().name(), d.toString());
        assertEquals("C major", d.sections().get(0).key(), d.toString());
        assertEquals("C major", d.sections().get(1).key(), d.toString());
    }

    @Test
    void aLouderBusierChorusHasMoreEnergyThanItsVerse() {
        SongDescriber.Description d = describe("verse chorus", twoParts(C_MAJOR, C_MAJOR_OTHER, 1.0, Drums.FOUR), halves());
        Section verse = d.sections().get(0);
        Section chorus = d.sections().get(1);
        assertTrue(chorus.energyLevel() > verse.energyLevel() + 0.05, verse + " vs " + chorus);
        // the rest of the section is kept
        assertEquals("Chorus 1", chorus.displayName());
        assertEquals(24.0, chorus.startSec());
    }

    @Test
    void silenceHasNoKeyAndStillAMoodAndGenre() {
        float[] silence = new float[SongSynth.SR * 10];
        SongDescriber.Description d = describe("silence", silence, List.of(
                new Section("s0", 0, "other", "other", "A", 0, 0, 0, 10, 1, 0)));
        assertNull(d.key());
        assertNull(d.sections().get(0).key());
        assertTrue(d.mood().energy() < 0.1, d.mood().toString());
        assertTrue(!d.mood().tags().isEmpty());
        assertTrue(GenreRules.GENRES.contains(d.genre().primary()));
        // no features at all (audio without samples)
        SongDescriber.Description none = DESCRIBER.describe(null, List.of(), 0, List.of());
        assertNull(none.key());
        assertTrue(GenreRules.GENRES.contains(none.genre().primary()));
    }

    @Test
    void dissonanceIsLowForATriadAndHighForAChromaticCluster() {
        float[] triad = new float[12];
        triad[0] = triad[4] = triad[7] = 1;
        float[] cluster = new float[12];
        cluster[0] = cluster[1] = cluster[2] = cluster[3] = 1;
        assertEquals(0.0, SoundMeasures.dissonance(triad), 1e-9);
        assertTrue(SoundMeasures.dissonance(cluster) > 0.4, String.valueOf(SoundMeasures.dissonance(cluster)));
    }
}
