package com.vibecraft.pipeline.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SectionInferenceTest {

    private final SectionInference inference = new SectionInference();

    /** A song under construction: segments in seconds, one energy each (default 0.5). */
    private static final class Song {
        final List<RawSegment> segments = new ArrayList<>();
        final List<Double> energies = new ArrayList<>();

        Song seg(double startSec, double endSec, int label) {
            return seg(startSec, endSec, label, 0.5);
        }

        Song seg(double startSec, double endSec, int label, double energy) {
            segments.add(new RawSegment(Math.round(startSec * 1000), Math.round(endSec * 1000), label));
            energies.add(energy);
            return this;
        }

        double[] energyArray() {
            return energies.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    private List<Section> infer(Song song) {
        return inference.infer(song.segments, song.energyArray());
    }

    private static List<String> names(List<Section> sections) {
        return sections.stream().map(Section::displayName).collect(Collectors.toList());
    }

    private static List<String> softTypes(List<Section> sections) {
        return sections.stream().map(Section::typeSoft).collect(Collectors.toList());
    }

    private static List<Integer> groups(List<Section> sections) {
        return sections.stream().map(Section::repetitionGroup).collect(Collectors.toList());
    }

    // ---- the local detector's variant of step 7 ---------------------------------------------

    @Test
    void theLocalDetectorsBoundariesAreKeptWhateverTheNames() {
        // two different materials in the first 15 % (both intro_like), then verse/chorus twice
        Song song = new Song().seg(0, 10, 0).seg(10, 18, 100).seg(18, 40, 200).seg(40, 60, 300)
                .seg(60, 80, 200).seg(80, 100, 300).seg(100, 110, 300);
        List<Section> spec = inference.infer(song.segments, song.energyArray());
        List<Section> local = inference.infer(song.segments, song.energyArray(), true);
        // SPEC step 7 merges the two intro_like segments and the last two verses
        assertEquals(18.0, spec.get(1).startSec(), 1e-9, spec.toString());
        assertEquals(80.0, spec.get(spec.size() - 1).startSec(), 1e-9, spec.toString());
        assertEquals(110.0, spec.get(spec.size() - 1).endSec(), 1e-9);
        // the local detector's segments all stay: the change of material and the part begun again
        assertEquals(7, local.size(), local.toString());
        assertEquals(List.of(0.0, 10.0, 18.0, 40.0, 60.0, 80.0, 100.0),
                local.stream().map(Section::startSec).toList());
        assertEquals(local.get(5).type(), local.get(6).type());
        assertEquals(local.get(5).repetitionGroup(), local.get(6).repetitionGroup());
        assertEquals(spec.size() + 2, local.size());
    }

    // ---- step 2: clustering ------------------------------------------------------------------

    @Test
    void clusteringJoinsWithin50OfTheRepresentative() {
        // labels 10, 55, 61, 200, 62: 55 joins 10 (45 apart); 61 is 51 from representative 10 → new
        // cluster; 62 joins 61's cluster. Clusters {10,55}, {61,62}, {200}.
        List<Section> s = infer(new Song()
                .seg(0, 10, 10).seg(10, 20, 61).seg(20, 30, 55).seg(30, 40, 200).seg(40, 50, 62));
        assertEquals(5, s.size()); // alternating chorus/verse: nothing merges
        assertEquals(List.of(0, 1, 0, 2, 1), groups(s));
        assertEquals(List.of(10, 61, 55, 200, 62), s.stream().map(Section::rawLabel).toList());
    }

    @Test
    void exactly50ApartJoins51DoesNot() {
        List<Section> joined = infer(new Song().seg(0, 10, 10).seg(10, 20, 500).seg(20, 30, 60));
        assertEquals(List.of(0, 1, 0), groups(joined));
        List<Section> apart = infer(new Song().seg(0, 10, 10).seg(10, 20, 500).seg(20, 30, 61));
        assertEquals(List.of(0, 1, 2), groups(apart));
    }

    @Test
    void distanceIsToTheRepresentativeNotAChain() {
        // 50 joins 10; 90 is 40 from 50 but 80 from the representative 10 → its own cluster
        List<Section> s = infer(new Song().seg(0, 10, 10).seg(10, 20, 500).seg(20, 30, 50).seg(30, 40, 90));
        assertEquals(List.of(0, 1, 0, 2), groups(s));
    }

    @Test
    void clusterDistanceIsConfigurable() {
        SectionInference strict = new SectionInference(10, SectionInference.DEFAULT_EARLY_CHORUS_WINDOW_SEC);
        Song song = new Song().seg(0, 10, 10).seg(10, 20, 500).seg(20, 30, 55);
        List<Section> s = strict.infer(song.segments, song.energyArray());
        assertEquals(List.of(0, 1, 2), groups(s));
        assertEquals(10, strict.clusterDistance());
        assertEquals(50, new SectionInference().clusterDistance());
        assertEquals(8.0, new SectionInference().earlyChorusWindowSec());
    }

    // ---- step 4: chorus scoring ---------------------------------------------------------------

    /**
     * Cluster A (label 100): 2 × 10 s, energy 0.9. Cluster B (label 300): 2 × 20 s, energy 0.3.
     * Occurrences equal → 0.5 each. A = 0.5·0.5 + 0.2·0 + 0.3·1 = 0.55, B = 0.25 + 0.2 + 0 = 0.45.
     */
    private static Song earlyPenaltySong(double offset) {
        Song song = new Song();
        if (offset > 0) {
            song.seg(0, offset, 900, 0.1);
        }
        return song.seg(offset, offset + 10, 100, 0.9)
                .seg(offset + 10, offset + 30, 300, 0.3)
                .seg(offset + 30, offset + 40, 100, 0.9)
                .seg(offset + 40, offset + 60, 300, 0.3);
    }

    @Test
    void earlyChorusPenaltyMakesTheOtherClusterWin() {
        // A starts at 0 s < 8 s: 0.55 − 0.2 = 0.35 < 0.45 → B is the chorus, A the verse
        List<Section> s = infer(earlyPenaltySong(0));
        assertEquals(List.of("verse_like", "chorus_like", "verse_like", "chorus_like"), softTypes(s));
        assertEquals(List.of("Verse 1", "Chorus 1", "Verse 2", "Chorus 2"), names(s));
    }

    @Test
    void withoutPenaltyTheBetterClusterWins() {
        // window 0 → no penalty → A (0.55) beats B (0.45)
        Song song = earlyPenaltySong(0);
        List<Section> s = new SectionInference(50, 0).infer(song.segments, song.energyArray());
        assertEquals(List.of("chorus_like", "verse_like", "chorus_like", "verse_like"), softTypes(s));
    }

    @Test
    void chorusStartingExactlyAt8sIsNotPenalised() {
        // A first starts at 8.0 s, not < 8 → 0.55 beats 0.45
        List<Section> s = infer(earlyPenaltySong(8));
        assertEquals(List.of("intro_like", "chorus_like", "verse_like", "chorus_like", "verse_like"), softTypes(s));
        assertEquals(100, s.get(1).rawLabel());
    }

    @Test
    void moreOccurrencesWin() {
        // label 300 occurs 3 times (occ 1.0 → ≥ 0.5), label 100 twice but longer and louder:
        // 100 → 0 + 0.2 + 0.3 = 0.5 − 0.2 (starts at 0) = 0.3; 300 → 0.5 + 0 + 0 = 0.5
        List<Section> s = infer(new Song()
                .seg(0, 30, 100, 0.9).seg(30, 35, 300, 0.2).seg(35, 65, 100, 0.9)
                .seg(65, 70, 300, 0.2).seg(70, 80, 600).seg(80, 85, 300, 0.2));
        assertEquals("chorus", s.get(1).type());
        assertEquals(300, s.get(1).rawLabel());
        assertEquals("verse", s.get(0).type());
    }

    @Test
    void tieGoesToTheFirstClusterInLabelOrder() {
        // Two candidates with equal occurrences, durations and energies, both first starting before
        // 8 s: both score 0.25 + 0.1 + 0.15 − 0.2 = 0.3. "First" = first cluster in step-2 order
        // (ascending representative label), so label 100 wins although label 300 comes first in time.
        // The rest of the song (label 700, once, centre p = 0.58) is a bridge.
        List<Section> s = infer(new Song()
                .seg(0, 4, 300).seg(4, 8, 100).seg(8, 12, 300).seg(12, 16, 100).seg(16, 100, 700));
        assertEquals(List.of("verse_like", "chorus_like", "verse_like", "chorus_like", "bridge_like"), softTypes(s));
    }

    /**
     * The 0.15 threshold. With the SPEC weights the best candidate can never score ≤ 0.15:
     * the candidate with most occurrences gets 0.5·1 = 0.5 (−0.2 penalty → ≥ 0.3); if occurrences are
     * all equal everyone gets 0.25 from them and the best of 0.2·dur + 0.3·energy is ≥ 0.25 (durations
     * and energies both all equal: 0.1 + 0.15 = 0.25; otherwise someone holds a normalised 1 in one of
     * them, worth 0.2 + 0.15 or 0.1 + 0.3 or ≥ 0.3), so the best is ≥ 0.25 + 0.25 − 0.2 = 0.3 > 0.15.
     * The minimum 0.3 is reached in {@link #tieGoesToTheFirstClusterInLabelOrder()} and
     * {@link #loneCandidateIsChorusEvenWhenPenalised()}: both still yield a chorus.
     * Hence no chorus ⇔ no cluster occurs twice ({@link #noRepeatedClusterMeansNoChorusAndNoVerse()}).
     */
    @Test
    void loneCandidateIsChorusEvenWhenPenalised() {
        // single candidate: all normalised 0.5 → 0.5 − 0.2 (starts at 0) = 0.3 > 0.15 → chorus
        List<Section> s = infer(new Song().seg(0, 10, 100).seg(10, 50, 500).seg(50, 60, 100).seg(60, 100, 800));
        assertEquals("chorus_like", s.get(0).typeSoft());
        assertEquals("chorus_like", s.get(2).typeSoft());
    }

    @Test
    void penalisedSplitCandidatesStillPassThreshold() {
        // Both penalised (first starts 0 s and 4 s), occurrences equal, A longer, B louder:
        // A = 0.25 + 0.2 + 0 − 0.2 = 0.25, B = 0.25 + 0 + 0.3 − 0.2 = 0.35 → B chorus (0.35 > 0.15)
        List<Section> s = infer(new Song()
                .seg(0, 4, 100, 0.2).seg(4, 6, 300, 0.8).seg(6, 10, 100, 0.2).seg(10, 12, 300, 0.8)
                .seg(12, 100, 700));
        assertEquals(List.of("verse_like", "chorus_like", "verse_like", "chorus_like", "bridge_like"), softTypes(s));
    }

    @Test
    void noRepeatedClusterMeansNoChorusAndNoVerse() {
        List<Section> s = infer(new Song().seg(0, 10, 0).seg(10, 50, 200).seg(50, 90, 400).seg(90, 100, 600));
        assertEquals(List.of("intro_like", "other", "bridge_like", "outro_like"), softTypes(s));
        assertEquals(List.of("Intro", "Section A", "Bridge", "Outro"), names(s));
    }

    // ---- step 5: verses -----------------------------------------------------------------------

    @Test
    void everyOtherRepeatedClusterIsAVerse() {
        // X (100) ×3 wins; Y (300) ×2 and Z (500) ×2 are both verses
        List<Section> s = infer(new Song()
                .seg(0, 10, 300).seg(10, 20, 100).seg(20, 30, 500).seg(30, 40, 100)
                .seg(40, 50, 300).seg(50, 60, 100).seg(60, 70, 500));
        assertEquals(List.of("Verse 1", "Chorus 1", "Verse 2", "Chorus 2", "Verse 3", "Chorus 3", "Verse 4"), names(s));
        assertEquals(List.of(0, 1, 2, 1, 0, 1, 2), groups(s));
        assertEquals(List.of(0.6, 0.7, 0.6, 0.7, 0.6, 0.7, 0.6), s.stream().map(Section::confidence).toList());
    }

    // ---- step 6: position thresholds ----------------------------------------------------------

    /**
     * Song of 100 s: a probe segment (label 500, occurs once) between chorus segments (label 0), so
     * it never merges with its neighbours and its p = centre / 100 is exact in binary floating point
     * for the edge values 0.15, 0.85, 0.35 and 0.75.
     */
    @ParameterizedTest
    @CsvSource({
            "10,   20,   other",        // p = 0.15 exactly: not < 0.15
            "9.8,  20,   intro_like",   // p = 0.149
            "80,   90,   other",        // p = 0.85 exactly: not > 0.85
            "80,   90.2, outro_like",   // p = 0.851
            "30,   40,   other",        // p = 0.35 exactly: not > 0.35
            "30,   40.2, bridge_like",  // p = 0.351
            "70,   80,   other",        // p = 0.75 exactly: not < 0.75
            "69.8, 80,   bridge_like",  // p = 0.749
            "45,   55,   bridge_like",  // p = 0.5
            "20,   30,   other",        // p = 0.25
    })
    void positionThresholds(double a, double b, String expected) {
        List<Section> s = infer(new Song().seg(0, a, 0).seg(a, b, 500).seg(b, 100, 0));
        assertEquals(3, s.size());
        assertEquals("chorus_like", s.get(0).typeSoft());
        assertEquals(expected, s.get(1).typeSoft());
        assertEquals(a, s.get(1).startSec());
        double expectedConfidence = switch (expected) {
            case "intro_like", "outro_like" -> 0.6;
            case "bridge_like" -> 0.5;
            default -> 0.4;
        };
        assertEquals(expectedConfidence, s.get(1).confidence());
    }

    // ---- step 7: merging ----------------------------------------------------------------------

    @Test
    void neighboursOfTheSameSoftTypeMerge() {
        // three intro-like parts (labels 900, 700, 800, each occurring once, p < 0.15) merge into one
        List<Section> s = infer(new Song()
                .seg(0, 2, 900, 0.1).seg(2, 4, 700, 0.1).seg(4, 12, 800, 0.4)
                .seg(12, 30, 0).seg(30, 50, 300).seg(50, 70, 0).seg(70, 100, 300));
        Section intro = s.get(0);
        assertEquals("Intro", intro.displayName());
        assertEquals("s0", intro.id());
        assertEquals(900, intro.rawLabel());
        assertEquals(0.0, intro.startSec());
        assertEquals(12.0, intro.endSec());
        // mean of 0.6, 0.6, 0.6 is 0.5999999999999999 in doubles: rounded to 3 decimals → 0.6
        assertEquals(0.6, intro.confidence(), 0.0);
        // duration-weighted energy: (2·0.1 + 2·0.1 + 8·0.4) / 12 = 0.3
        assertEquals(0.3, intro.energy(), 1e-12);
        assertEquals(0, intro.repetitionGroup());
        // after the merge the next section keeps the id of its own first raw segment (4th in time)
        assertEquals("s3", s.get(1).id());
        assertEquals(List.of(0, 1, 2, 3, 4), s.stream().map(Section::index).toList());
        // groups are numbered per cluster over all raw segments: 900→0, 700→1, 800→2, 0→3, 300→4
        assertEquals(List.of(0, 3, 4, 3, 4), groups(s));
    }

    @Test
    void adjacentVersesOfDifferentClustersMergeKeepingTheFirstLabel() {
        // chorus 100 ×3; verses 300 ×2 and 500 ×2; 300 and 500 are adjacent twice
        List<Section> s = infer(new Song()
                .seg(0, 10, 300).seg(10, 20, 500).seg(20, 30, 100).seg(30, 40, 300).seg(40, 50, 500)
                .seg(50, 60, 100).seg(60, 70, 100));
        assertEquals(List.of("Verse 1", "Chorus 1", "Verse 2", "Chorus 2"), names(s));
        assertEquals(List.of("s0", "s2", "s3", "s5"), s.stream().map(Section::id).toList());
        assertEquals(300, s.get(0).rawLabel());
        assertEquals(20.0, s.get(0).endSec());
        assertEquals(70.0, s.get(3).endSec()); // two chorus parts in a row merge too
    }

    // ---- step 8: display names ----------------------------------------------------------------

    @Test
    void displayNamesCountPerType() {
        List<Section> s = infer(new Song()
                .seg(0, 5, 900).seg(5, 10, 0).seg(10, 14, 800).seg(14, 20, 0).seg(20, 30, 600)
                .seg(30, 75, 0).seg(75, 85, 700).seg(85, 90, 0).seg(90, 100, 1000));
        assertEquals(List.of("Intro", "Chorus 1", "Intro 2", "Chorus 2", "Section A", "Chorus 3",
                "Section B", "Chorus 4", "Outro"), names(s));
        assertEquals(List.of("intro", "chorus", "intro", "chorus", "other", "chorus", "other", "chorus", "outro"),
                s.stream().map(Section::type).toList());
    }

    @Test
    void displayNameHelpers() {
        assertEquals("Bridge", SectionInference.displayName("bridge", 1));
        assertEquals("Bridge 2", SectionInference.displayName("bridge", 2));
        assertEquals("Outro 3", SectionInference.displayName("outro", 3));
        assertEquals("Verse 1", SectionInference.displayName("verse", 1));
        assertEquals("Section A", SectionInference.displayName("other", 1));
        assertEquals("A", SectionInference.letters(1));
        assertEquals("Z", SectionInference.letters(26));
        assertEquals("AA", SectionInference.letters(27));
        assertEquals("AZ", SectionInference.letters(52));
        assertEquals("BA", SectionInference.letters(53));
    }

    // ---- full song ----------------------------------------------------------------------------

    @Test
    void realisticSong() {
        Song song = new Song()
                .seg(0, 10, 500, 0.20)      // intro
                .seg(10, 30, 100, 0.40)     // verse
                .seg(30, 50, 300, 0.80)     // chorus
                .seg(50, 70, 105, 0.42)     // verse (label close to 100)
                .seg(70, 90, 302, 0.82)     // chorus
                .seg(90, 110, 700, 0.50)    // bridge
                .seg(110, 130, 300, 0.85)   // chorus
                .seg(130, 145, 900, 0.15);  // outro
        List<Section> s = infer(song);
        assertEquals(List.of("Intro", "Verse 1", "Chorus 1", "Verse 2", "Chorus 2", "Bridge", "Chorus 3", "Outro"),
                names(s));
        assertEquals(List.of("intro", "verse", "chorus", "verse", "chorus", "bridge", "chorus", "outro"),
                s.stream().map(Section::type).toList());
        assertEquals(List.of(0, 1, 2, 1, 2, 3, 2, 4), groups(s));
        assertEquals(List.of("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7"), s.stream().map(Section::id).toList());
        assertEquals(List.of(0.6, 0.6, 0.7, 0.6, 0.7, 0.5, 0.7, 0.6), s.stream().map(Section::confidence).toList());
        Section chorus2 = s.get(4);
        assertEquals(302, chorus2.rawLabel());
        assertEquals(70.0, chorus2.startSec());
        assertEquals(90.0, chorus2.endSec());
        assertEquals(0.82, chorus2.energy());
        assertEquals(4, chorus2.index());
    }

    // ---- input handling -----------------------------------------------------------------------

    @Test
    void energyLengthMismatchIsRejected() {
        List<RawSegment> segs = List.of(new RawSegment(0, 1000, 0), new RawSegment(1000, 2000, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> inference.infer(segs, new double[] {0.1}));
        assertTrue(e.getMessage().contains("1") && e.getMessage().contains("2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> inference.infer(List.of(), new double[] {0.1}));
    }

    @Test
    void nonFiniteEnergyIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> inference.infer(List.of(new RawSegment(0, 1000, 0)), new double[] {Double.NaN}));
    }

    @Test
    void badTunablesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SectionInference(-1, 8));
        assertThrows(IllegalArgumentException.class, () -> new SectionInference(50, -1));
        assertThrows(IllegalArgumentException.class, () -> new SectionInference(50, Double.NaN));
    }

    @Test
    void emptyInputGivesEmptyList() {
        assertEquals(List.of(), inference.infer(List.of(), new double[0]));
        // only zero-length segments: nothing left
        assertEquals(List.of(), inference.infer(
                List.of(new RawSegment(5000, 5000, 0), new RawSegment(-2000, -1000, 1)), new double[] {0.1, 0.2}));
    }

    @Test
    void zeroLengthSegmentsAreDroppedAndDoNotCountAsOccurrences() {
        // without the drop, label 0 would occur twice and become the chorus
        List<Section> s = infer(new Song()
                .seg(0, 10, 0).seg(10, 10, 0).seg(10, 40, 300).seg(40, 70, 600).seg(70, 100, 800));
        assertEquals(List.of("intro_like", "other", "bridge_like", "other"), softTypes(s));
        assertEquals(List.of("s0", "s1", "s2", "s3"), s.stream().map(Section::id).toList());
    }

    @Test
    void inputIsSortedByStartAndClampedAtZero() {
        Song song = new Song()
                .seg(70, 100, 300, 0.3)
                .seg(-0.5, 10, 500, 0.1)     // start clamped to 0
                .seg(10, 70, 700, 0.2);
        List<Section> s = infer(song);
        assertEquals(List.of(0.0, 10.0, 70.0), s.stream().map(Section::startSec).toList());
        assertEquals(List.of(0.1, 0.2, 0.3), s.stream().map(Section::energy).toList()); // energies follow
        assertEquals(List.of(500, 700, 300), s.stream().map(Section::rawLabel).toList());
        assertEquals(List.of(0, 1, 2), groups(s));
        assertEquals(List.of("Intro", "Bridge", "Section A"), names(s));
    }
}
