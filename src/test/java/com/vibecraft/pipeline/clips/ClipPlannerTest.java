package com.vibecraft.pipeline.clips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vibecraft.pipeline.analysis.Section;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Edge cases and worked examples of {@link ClipPlanner}. */
class ClipPlannerTest {

    private final ClipPlanner planner = new ClipPlanner();

    private static Section section(double start, double end) {
        return ClipPlannerPropertyTest.section("sec", 0, start, end);
    }

    private static double[] cuts(List<PlannedClip> clips) {
        double[] c = new double[clips.size() + 1];
        for (int i = 0; i < clips.size(); i++) {
            c[i] = clips.get(i).startSec();
        }
        c[clips.size()] = clips.get(clips.size() - 1).endSec();
        return c;
    }

    private static List<Double> beatsEvery(double first, double period, double until) {
        List<Double> beats = new ArrayList<>();
        for (int i = 0; first + i * period <= until; i++) {
            beats.add(first + i * period);
        }
        return beats;
    }

    @Test
    void defaults() {
        assertEquals(3.0, ClipPlanner.DEFAULT_MIN_CLIP_SEC);
        assertEquals(6.0, ClipPlanner.DEFAULT_MAX_CLIP_SEC);
        assertEquals(8, ClipPlanner.DEFAULT_FPS);
        assertEquals(256, ClipPlanner.DEFAULT_MAX_CLIPS_PER_SONG);
        assertEquals(3.0, planner.minClipSec());
        assertEquals(6.0, planner.maxClipSec());
        assertEquals(8, planner.fps());
        assertEquals(256, planner.maxClipsPerSong());
    }

    @Test
    void constructorRejectsInvalidArguments() {
        assertThrows(IllegalArgumentException.class, () -> new ClipPlanner(0, 6, 8, 256));
        assertThrows(IllegalArgumentException.class, () -> new ClipPlanner(-1, 6, 8, 256));
        assertThrows(IllegalArgumentException.class, () -> new ClipPlanner(Double.NaN, 6, 8, 256));
        assertThrows(IllegalArgumentException.class, () -> new ClipPlanner(3, 2.9, 8, 256));
        assertThrows(IllegalArgumentException.class, () -> new ClipPlanner(3, Double.POSITIVE_INFINITY, 8, 256));
        assertThrows(IllegalArgumentException.class, () -> new ClipPlanner(3, 6, 0, 256));
        assertThrows(IllegalArgumentException.class, () -> new ClipPlanner(3, 6, -8, 256));
        assertThrows(IllegalArgumentException.class, () -> new ClipPlanner(3, 6, 8, 0));
        new ClipPlanner(3, 3, 8, 1); // min == max is allowed
    }

    @Test
    void noBeatsCutsAnEvenSplitOnTheGrid() {
        List<PlannedClip> clips = planner.planSection(section(0, 20), List.of());
        assertEquals(4, clips.size()); // ceil(20 / 6)
        assertTrue(Arrays.equals(new double[] {0, 5, 10, 15, 20}, cuts(clips)), Arrays.toString(cuts(clips)));
        for (PlannedClip c : clips) {
            assertNull(c.startBeat());
            assertNull(c.endBeat());
            assertEquals(40, c.numFrames());
            assertEquals(8, c.fps());
            assertEquals("sec", c.sectionId());
        }
        assertEquals(clips, planner.planSection(section(0, 20), null), "null beats = no beats");
    }

    @Test
    void noBeatsEvenSplitIsSnappedToTheGrid() {
        // 0..19: 4 clips, even target 4.75 → on the grid already; 13.3 s: 3 clips, target 4.4333 → 4.375
        List<PlannedClip> clips = planner.planSection(section(0, 13.3), List.of());
        assertEquals(3, clips.size());
        assertEquals(4.375, clips.get(0).endSec(), 0.0);
        assertEquals(4.375 + 4.5, clips.get(1).endSec(), 0.0); // remainder 8.925 / 2 = 4.4625 → 4.5
        assertEquals(13.3, clips.get(2).endSec(), 0.0);
    }

    @Test
    void sectionShorterThanMinimumIsOneClip() {
        List<PlannedClip> clips = planner.planSection(section(10, 12.2), List.of(10.5, 11.0, 11.5, 12.0, 12.5));
        assertEquals(1, clips.size());
        PlannedClip c = clips.get(0);
        assertEquals(10.0, c.startSec(), 0.0);
        assertEquals(12.2, c.endSec(), 0.0);
        assertEquals(18, c.numFrames()); // round(2.2 · 8) = round(17.6)
        assertEquals(0, c.startBeat());
        assertEquals(3, c.endBeat());
    }

    @Test
    void tinySectionStillHasOneFrame() {
        PlannedClip c = planner.planSection(section(1, 1.05), List.of()).get(0);
        assertEquals(1, c.numFrames()); // round(0.4) = 0 → at least 1
        assertNull(c.startBeat());
    }

    @Test
    void degenerateSectionsHaveNoClip() {
        assertTrue(planner.planSection(section(5, 5), List.of(5.0)).isEmpty());
        assertTrue(planner.planSection(section(5, 4), List.of()).isEmpty());
        assertEquals(0, ClipPlanner.clipCount(0, 6));
        assertEquals(0, ClipPlanner.clipCount(-1, 6));
        // in a song a degenerate section is skipped, the others are planned
        List<Section> song = List.of(
                ClipPlannerPropertyTest.section("a", 0, 0, 4),
                ClipPlannerPropertyTest.section("b", 1, 4, 4),
                ClipPlannerPropertyTest.section("c", 2, 4, 8));
        List<PlannedClip> clips = planner.planSong(song, List.of());
        assertEquals(List.of("a", "c"), clips.stream().map(PlannedClip::sectionId).toList());
    }

    @Test
    void exactlyThreeSecondsIsOneClip() {
        List<PlannedClip> clips = planner.planSection(section(0, 3), beatsEvery(0, 0.5, 3));
        assertEquals(1, clips.size());
        assertEquals(3.0, clips.get(0).durationSec(), 0.0);
        assertEquals(24, clips.get(0).numFrames());
        assertEquals(0, clips.get(0).startBeat());
        assertEquals(6, clips.get(0).endBeat());
    }

    @Test
    void exactlySixSecondsIsOneClip() {
        List<PlannedClip> clips = planner.planSection(section(2, 8), beatsEvery(0, 0.5, 20));
        assertEquals(1, clips.size());
        assertEquals(48, clips.get(0).numFrames());
        assertEquals(4, clips.get(0).startBeat()); // beat at 2.0
        assertEquals(16, clips.get(0).endBeat()); // beat at 8.0
    }

    @Test
    void sixPointZeroOneSecondsIsTwoClipsEachAtLeastMinimum() {
        List<PlannedClip> clips = planner.planSection(section(0, 6.01), List.of());
        assertEquals(2, clips.size());
        // window [3, 3.01], target 3.005, grid point 3.0 is inside
        assertEquals(3.0, clips.get(0).endSec(), 0.0);
        assertEquals(3.01, clips.get(1).durationSec(), 1e-12);
        assertEquals(24, clips.get(0).numFrames());
        assertEquals(24, clips.get(1).numFrames());
    }

    @Test
    void windowWithoutGridPointKeepsTheUnsnappedCut() {
        // 10.3..16.31: window [13.3, 13.31] holds no multiple of 1/8 (13.25, 13.375)
        List<PlannedClip> clips = planner.planSection(section(10.3, 16.31), List.of());
        assertEquals(2, clips.size());
        assertEquals(13.305, clips.get(0).endSec(), 1e-12);
        // a beat inside such a window is taken as is
        clips = planner.planSection(section(10.3, 16.31), List.of(13.302));
        assertEquals(13.302, clips.get(0).endSec(), 0.0);
        assertEquals(0, clips.get(0).endBeat());
        assertEquals(0, clips.get(1).startBeat());
    }

    @Test
    void cutGoesToTheBeatNearestTheEvenTargetThenToTheGrid() {
        // 0..20 → 4 clips, first target 5.0; beats every 0.6 s from 0.1: 4.9 and 5.5 in the window,
        // 4.9 is nearest to 5.0 → snapped to 4.875 (within half a frame)
        List<Double> beats = beatsEvery(0.1, 0.6, 30);
        List<PlannedClip> clips = planner.planSection(section(0, 20), beats);
        assertEquals(4, clips.size());
        assertEquals(4.875, clips.get(0).endSec(), 0.0);
        assertEquals(0, clips.get(0).startBeat());
        assertEquals(7, clips.get(0).endBeat()); // beat 8 at 4.9 lies after the cut at 4.875 → beat 7 (4.3)
        assertEquals(8, clips.get(1).startBeat());
        for (int i = 0; i < 3; i++) {
            assertEquals(0, clips.get(i).endSec() * 8 % 1, 1e-9, "on the grid");
        }
    }

    @Test
    void beatAtTheWindowEdgeWhoseGridPointFallsOutsideIsAvoided() {
        // 0.2..9.2 → 2 clips, window [3.2, 6.2] (both edges off the grid), target 4.7.
        // The only beat, 6.19, has its nearest grid point 6.25 outside the window.
        List<PlannedClip> clips = planner.planSection(section(0.2, 9.2), List.of(6.19));
        // 6.19's grid point 6.25 is outside [3.2, 6.2] → nearest grid point inside the window: 6.125
        assertEquals(6.125, clips.get(0).endSec(), 0.0);
        // with a second beat whose grid point is inside, that beat is preferred even though farther
        clips = planner.planSection(section(0.2, 9.2), List.of(3.21, 6.19));
        assertEquals(3.25, clips.get(0).endSec(), 0.0);
    }

    @Test
    void beatIndexesUseTheSongsBeatList() {
        List<Double> beats = beatsEvery(0, 1.0, 30); // beat i at i seconds
        List<Section> song = List.of(
                ClipPlannerPropertyTest.section("intro", 0, 0, 2.5),
                ClipPlannerPropertyTest.section("verse", 1, 2.5, 13.5));
        List<PlannedClip> clips = planner.planSong(song, beats);
        assertEquals(3, clips.size());
        assertEquals(0, clips.get(0).startBeat());
        assertEquals(2, clips.get(0).endBeat());
        assertEquals(3, clips.get(1).startBeat());
        // verse 11 s → 2 clips, window [7.5, 8.5], target 8.0 = beat 8
        assertEquals(8.0, clips.get(1).endSec(), 0.0);
        assertEquals(8, clips.get(1).endBeat());
        assertEquals(8, clips.get(2).startBeat()); // a beat on a cut belongs to both clips
        assertEquals(13, clips.get(2).endBeat());
    }

    @Test
    void twoBeatsEquallyNearTheTargetTakeTheEarlier() {
        List<PlannedClip> clips = planner.planSection(section(2.5, 13.5), List.of(7.75, 8.25));
        assertEquals(7.75, clips.get(0).endSec(), 0.0);
    }

    @Test
    void sectionOfExactlyTwoMaximaIsTwoMaximalClips() {
        List<PlannedClip> clips = planner.planSection(section(2.5, 14.5), beatsEvery(0, 1.0, 30));
        assertEquals(2, clips.size()); // window is the single point 8.5, whatever the beats say
        assertEquals(8.5, clips.get(0).endSec(), 0.0);
        assertEquals(6.0, clips.get(1).durationSec(), 0.0);
    }

    @Test
    void beatWithinOneMillisecondOutsideCountsAsInside() {
        PlannedClip c = planner.planSection(section(1.0, 3.0), List.of(0.9995, 3.0008, 3.5)).get(0);
        assertEquals(0, c.startBeat());
        assertEquals(1, c.endBeat());
        c = planner.planSection(section(1.0, 3.0), List.of(0.99, 3.01)).get(0);
        assertNull(c.startBeat());
        assertNull(c.endBeat());
    }

    @Test
    void invalidBeatsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> planner.planSection(section(0, 10), List.of(2.0, 1.0)));
        assertThrows(IllegalArgumentException.class, () -> planner.planSection(section(0, 10), List.of(1.0, Double.NaN)));
        assertThrows(IllegalArgumentException.class, () -> planner.planSection(section(0, 10), Arrays.asList(1.0, null)));
        assertThrows(IllegalArgumentException.class, () -> planner.planSection(section(0, Double.NaN), List.of()));
        assertThrows(NullPointerException.class, () -> planner.planSection(null, List.of()));
    }

    @Test
    void sevenMinuteSingleSectionSongWithDefaults() {
        List<PlannedClip> clips = planner.planSong(List.of(section(0, 420)), beatsEvery(0.37, 60.0 / 128, 420));
        assertEquals(70, clips.size());
        assertTrue(clips.size() <= ClipPlanner.DEFAULT_MAX_CLIPS_PER_SONG);
        assertEquals(420.0, clips.stream().mapToDouble(PlannedClip::durationSec).sum(), 1e-9);
        assertTrue(planner.fits(List.of(section(0, 420))));
    }

    @Test
    void sevenMinuteSongOfThreeSecondSectionsIsTheWorstCaseAndFits() {
        List<Section> song = new ArrayList<>();
        for (int i = 0; i < 140; i++) {
            song.add(ClipPlannerPropertyTest.section("s" + i, i, i * 3.0, (i + 1) * 3.0));
        }
        List<PlannedClip> clips = planner.planSong(song, List.of());
        assertEquals(140, clips.size());
        assertEquals(420.0, clips.get(139).endSec(), 0.0);
    }

    @Test
    void capExceededGivesAClearException() {
        ClipPlanner small = new ClipPlanner(3, 6, 8, 10);
        List<Section> song = List.of(section(0, 120)); // 20 clips
        assertEquals(20, small.countClips(song));
        assertFalse(small.fits(song));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> small.planSong(song, List.of()));
        assertTrue(e.getMessage().contains("20 clips"), e.getMessage());
        assertTrue(e.getMessage().contains("cap is 10"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> small.checkFits(song));
        // at the cap exactly it plans
        ClipPlanner exact = new ClipPlanner(3, 6, 8, 20);
        assertEquals(20, exact.planSong(song, List.of()).size());
        exact.checkFits(song);
        // planSection itself has no song-wide cap
        assertEquals(20, small.planSection(song.get(0), List.of()).size());
    }

    @Test
    void maxBelowTwiceMinRelaxesTheMinimumButNeverTheMaximum() {
        ClipPlanner odd = new ClipPlanner(3, 4, 8, 256);
        List<PlannedClip> clips = odd.planSection(section(0, 5), List.of());
        assertEquals(2, clips.size());
        assertEquals(2.5, clips.get(0).durationSec(), 0.0);
        assertEquals(2.5, clips.get(1).durationSec(), 0.0);
        // 7 s can be cut validly (3..4 + 3..4), so it is
        clips = odd.planSection(section(0, 7), List.of(3.9));
        assertEquals(2, clips.size());
        assertTrue(clips.get(0).durationSec() >= 3 && clips.get(0).durationSec() <= 4);
        assertTrue(clips.get(1).durationSec() >= 3 && clips.get(1).durationSec() <= 4);
    }

    @Test
    void resultsAreImmutableAndThePlannerIsSafeToShare() throws Exception {
        List<Section> song = ClipPlannerPropertyTest.randomSections(new java.util.Random(7), 0.5, 90);
        List<Double> beats = ClipPlannerPropertyTest.randomBeats(new java.util.Random(8), 0);
        List<PlannedClip> expected = planner.planSong(song, beats);
        assertThrows(UnsupportedOperationException.class, () -> expected.add(expected.get(0)));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<PlannedClip>>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                results.add(pool.submit(() -> planner.planSong(song, beats)));
            }
            for (Future<List<PlannedClip>> r : results) {
                assertEquals(expected, r.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
