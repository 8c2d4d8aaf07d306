package com.vibecraft.pipeline.clips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vibecraft.pipeline.analysis.Section;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Properties of {@link ClipPlanner} over many random songs (fixed seeds): random section counts and
 * lengths (0.5–90 s plus awkward exact lengths), random beat grids with jitter, tempo changes, gaps and
 * sometimes no beats at all. Every check below is recomputed independently from the documented rule.
 */
class ClipPlannerPropertyTest {

    private static final double TOL = 1e-9;

    /** Counters that prove the random layouts really exercised each branch. */
    private static final class Coverage {
        int songs;
        int clips;
        int shortSections;
        int interiorCuts;
        int cutsOnSnappableBeat;
        int cutsWithBeatButNoSnap;
        int cutsWithoutBeat;
        int cutsWithoutGridPoint;
        int songsWithoutBeats;
    }

    @Test
    void defaultPlannerOn500RandomSongs() {
        Coverage cov = new Coverage();
        ClipPlanner planner = new ClipPlanner();
        for (int seed = 0; seed < 500; seed++) {
            Random rnd = new Random(1000L + seed);
            checkSong(planner, randomSections(rnd, 0.5, 90), randomBeats(rnd, 0), "seed " + seed, cov);
        }
        assertEquals(500, cov.songs);
        assertTrue(cov.shortSections > 50, "short sections exercised: " + cov.shortSections);
        assertTrue(cov.cutsOnSnappableBeat > 1000, "beat cuts exercised: " + cov.cutsOnSnappableBeat);
        assertTrue(cov.cutsWithoutBeat > 100, "beat-less cuts exercised: " + cov.cutsWithoutBeat);
        assertTrue(cov.songsWithoutBeats > 30, "beat-less songs exercised: " + cov.songsWithoutBeats);
        assertTrue(cov.cutsWithoutGridPoint > 0, "grid-less windows exercised: " + cov.cutsWithoutGridPoint);
    }

    @Test
    void otherValidConfigurationsOnRandomSongs() {
        Coverage cov = new Coverage();
        for (int seed = 0; seed < 300; seed++) {
            Random rnd = new Random(5000L + seed);
            double min = 0.5 + rnd.nextDouble() * 4;
            double max = min * (2 + rnd.nextDouble() * 2); // max >= 2·min: every length is plannable
            int fps = new int[] {8, 10, 12, 24, 25, 30}[rnd.nextInt(6)];
            ClipPlanner planner = new ClipPlanner(min, max, fps, 100_000);
            checkSong(planner, randomSections(rnd, 0.2, 120), randomBeats(rnd, 0), "seed " + seed, cov);
        }
        assertTrue(cov.cutsOnSnappableBeat > 1000, "beat cuts exercised: " + cov.cutsOnSnappableBeat);
    }

    @Test
    void sectionsNotStartingAtZeroAndBeatsOffTheGrid() {
        Coverage cov = new Coverage();
        ClipPlanner planner = new ClipPlanner();
        for (int seed = 0; seed < 200; seed++) {
            Random rnd = new Random(9000L + seed);
            double offset = rnd.nextDouble() * 30; // e.g. a song whose first section starts late
            List<Section> sections = shift(randomSections(rnd, 0.5, 60), offset);
            checkSong(planner, sections, randomBeats(rnd, offset), "seed " + seed, cov);
        }
        assertTrue(cov.cutsWithoutGridPoint > 0, "off-grid section starts give grid-less windows: " + cov.cutsWithoutGridPoint);
        assertTrue(cov.interiorCuts > 1000);
    }

    /** With max < 2·min some lengths cannot be cut within [min, max]: clips still tile and stay <= max. */
    @Test
    void configurationWithMaxBelowTwiceMinStillTilesAndNeverExceedsMax() {
        Coverage cov = new Coverage();
        for (int seed = 0; seed < 200; seed++) {
            Random rnd = new Random(13_000L + seed);
            double min = 2 + rnd.nextDouble() * 2;
            double max = min * (1 + rnd.nextDouble() * 0.9);
            ClipPlanner planner = new ClipPlanner(min, max, 8, 100_000);
            checkSong(planner, randomSections(rnd, 0.5, 40), randomBeats(rnd, 0), "seed " + seed, cov);
        }
        assertTrue(cov.clips > 1000);
    }

    @Test
    void sevenMinuteSongsWithSectionsOfAtLeastThreeSecondsStayFarBelowTheDefaultCap() {
        ClipPlanner planner = new ClipPlanner();
        int worst = 0;
        for (int seed = 0; seed < 300; seed++) {
            Random rnd = new Random(20_000L + seed);
            List<Section> sections = new ArrayList<>();
            double t = 0;
            int i = 0;
            while (t < 420) {
                double len = Math.min(420 - t, 3 + rnd.nextDouble() * (rnd.nextBoolean() ? 4 : 60));
                if (420 - t - len < 3) {
                    len = 420 - t; // keep the last section >= 3 s too
                }
                sections.add(section("s" + i, i, t, t + len));
                t += len;
                i++;
            }
            List<PlannedClip> clips = planner.planSong(sections, randomBeats(rnd, 0));
            assertEquals(planner.countClips(sections), clips.size());
            assertTrue(clips.size() <= 140, "at most 420 s / 3 s clips: " + clips.size());
            worst = Math.max(worst, clips.size());
            assertEquals(420.0, clips.stream().mapToDouble(PlannedClip::durationSec).sum(), TOL);
        }
        assertTrue(worst <= 140 && worst < ClipPlanner.DEFAULT_MAX_CLIPS_PER_SONG);
    }

    // ------------------------------------------------------------------------------------------------
    // the checks

    private static void checkSong(ClipPlanner planner, List<Section> sections, List<Double> beats,
                                  String where, Coverage cov) {
        cov.songs++;
        if (beats.isEmpty()) {
            cov.songsWithoutBeats++;
        }
        List<PlannedClip> song = planner.planSong(sections, beats);
        assertEquals(planner.countClips(sections), song.size(), where);

        // planSong = planSection over the sections, in order
        List<PlannedClip> concatenated = new ArrayList<>();
        for (Section s : sections) {
            List<PlannedClip> clips = planner.planSection(s, beats);
            checkSection(planner, s, clips, beats, where + " section " + s.id(), cov);
            concatenated.addAll(clips);
        }
        assertEquals(concatenated, song, where);

        // song-wide tiling: each clip ends where the next starts, total = song duration
        double songStart = sections.get(0).startSec();
        double songEnd = sections.get(sections.size() - 1).endSec();
        assertEquals(songStart, song.get(0).startSec(), 0.0, where);
        assertEquals(songEnd, song.get(song.size() - 1).endSec(), 0.0, where);
        double total = 0;
        for (int i = 0; i < song.size(); i++) {
            total += song.get(i).durationSec();
            if (i > 0) {
                assertEquals(song.get(i - 1).endSec(), song.get(i).startSec(), 0.0, where + " clip " + i);
            }
        }
        assertEquals(songEnd - songStart, total, TOL, where);
        cov.clips += song.size();
    }

    private static void checkSection(ClipPlanner planner, Section s, List<PlannedClip> clips,
                                     List<Double> beats, String where, Coverage cov) {
        double min = planner.minClipSec();
        double max = planner.maxClipSec();
        int fps = planner.fps();
        double len = s.endSec() - s.startSec();
        if (len <= 0) {
            assertTrue(clips.isEmpty(), where + ": degenerate section has no clip");
            return;
        }
        int expected = len <= max + TOL ? 1 : (int) Math.ceil(len / max - TOL);
        assertEquals(expected, clips.size(), where + ": fewest clips that keep every clip <= max");
        assertEquals(ClipPlanner.clipCount(len, max), clips.size(), where);

        // tiling and containment
        assertEquals(s.startSec(), clips.get(0).startSec(), 0.0, where + ": first clip starts at the section start");
        assertEquals(s.endSec(), clips.get(clips.size() - 1).endSec(), 0.0, where + ": last clip ends at the section end");
        double sum = 0;
        for (int i = 0; i < clips.size(); i++) {
            PlannedClip c = clips.get(i);
            int ci = i;
            // the messages are made only for a failure: built for every clip and cut, they were most of this test's time
            Supplier<String> w = () -> where + " clip " + ci + " " + c;
            assertEquals(s.id(), c.sectionId(), w);
            assertTrue(c.startSec() >= s.startSec() && c.endSec() <= s.endSec(), () -> w.get() + ": inside its section");
            assertTrue(c.endSec() > c.startSec(), () -> w.get() + ": positive duration");
            if (i > 0) {
                assertEquals(clips.get(i - 1).endSec(), c.startSec(), 0.0, () -> w.get() + ": no gap, no overlap");
            }
            sum += c.durationSec();

            // bounds
            assertTrue(c.durationSec() <= max + TOL, () -> w.get() + ": never longer than max");
            if (len < min) {
                cov.shortSections++;
                assertEquals(1, clips.size(), () -> w.get() + ": a section shorter than min is one clip");
            } else if (max >= 2 * min) {
                assertTrue(c.durationSec() >= min - TOL, () -> w.get() + ": never shorter than min");
            }

            // frames
            assertEquals(fps, c.fps(), w);
            assertEquals(Math.max(1, Math.round(c.durationSec() * fps)), c.numFrames(), () -> w.get() + ": numFrames");

            // beat indexes, by linear scan
            Integer first = null;
            Integer last = null;
            for (int b = 0; b < beats.size(); b++) {
                double bt = beats.get(b);
                if (bt >= c.startSec() - ClipPlanner.BEAT_TOLERANCE_SEC && bt <= c.endSec() + ClipPlanner.BEAT_TOLERANCE_SEC) {
                    if (first == null) {
                        first = b;
                    }
                    last = b;
                }
            }
            assertEquals(first, c.startBeat(), () -> w.get() + ": startBeat");
            assertEquals(last, c.endBeat(), () -> w.get() + ": endBeat");
            if (beats.isEmpty()) {
                assertNull(c.startBeat(), w);
            }

            // the cut at the end of every clip but the last
            if (i < clips.size() - 1) {
                checkCut(planner, s, c.startSec(), c.endSec(), clips.size() - i, beats, w, cov);
            }
        }
        assertEquals(len, sum, TOL, where + ": durations add up to the section length");
    }

    /** Recomputes the documented window and rule for the cut after {@code t} with {@code k} clips left. */
    private static void checkCut(ClipPlanner planner, Section s, double t, double cut, int k,
                                 List<Double> beats, Supplier<String> w, Coverage cov) {
        cov.interiorCuts++;
        double min = planner.minClipSec();
        double max = planner.maxClipSec();
        int fps = planner.fps();
        double end = s.endSec();
        double lo = Math.max(t + min, end - (k - 1) * max);
        double hi = Math.min(t + max, end - (k - 1) * min);
        if (lo > hi + TOL) {
            assertTrue(max < 2 * min, () -> w.get() + ": window empty only when max < 2·min");
            lo = end - (k - 1) * max;
            hi = t + max;
        }
        double windowLo = lo;
        double windowHi = hi;
        assertTrue(cut >= lo - TOL && cut <= hi + TOL, () -> w.get() + ": cut " + cut + " inside window [" + windowLo + ", "
                + windowHi + "]");

        boolean windowHasGridPoint = Math.ceil(lo * fps - TOL) <= Math.floor(hi * fps + TOL);
        boolean onGrid = Math.abs(cut * fps - Math.round(cut * fps)) <= TOL * fps;
        if (windowHasGridPoint) {
            assertTrue(onGrid, () -> w.get() + ": cut " + cut + " on the 1/" + fps + " s grid");
        } else {
            cov.cutsWithoutGridPoint++;
        }

        double target = t + (end - t) / k;
        double frame = 1.0 / fps;
        double bestSnappable = Double.POSITIVE_INFINITY;
        double bestAny = Double.POSITIVE_INFINITY;
        for (double b : beats) {
            if (b < lo - TOL || b > hi + TOL) {
                continue;
            }
            bestAny = Math.min(bestAny, Math.abs(b - target));
            double g = Math.round(b * fps) / (double) fps;
            if (g >= lo - TOL && g <= hi + TOL) {
                bestSnappable = Math.min(bestSnappable, Math.abs(b - target));
            }
        }
        if (bestSnappable < Double.POSITIVE_INFINITY) {
            // the cut is the grid point of a beat nearest the target among the beats that snap inside
            cov.cutsOnSnappableBeat++;
            boolean found = false;
            for (double b : beats) {
                if (b >= lo - TOL && b <= hi + TOL && Math.abs(Math.abs(b - target) - bestSnappable) <= TOL
                        && Math.abs(b - cut) <= frame / 2 + TOL) {
                    found = true;
                }
            }
            assertTrue(found, () -> w.get() + ": cut " + cut + " within half a frame of the beat nearest target " + target);
        } else if (bestAny < Double.POSITIVE_INFINITY) {
            cov.cutsWithBeatButNoSnap++;
            boolean found = false;
            for (double b : beats) {
                if (Math.abs(Math.abs(b - target) - bestAny) <= TOL && Math.abs(b - cut) <= frame + TOL) {
                    found = true;
                }
            }
            assertTrue(found, () -> w.get() + ": cut " + cut + " within one frame of the beat nearest target " + target);
        } else {
            // no beat: the target, snapped to the nearest grid point inside the window (if any)
            cov.cutsWithoutBeat++;
            if (windowHasGridPoint) {
                double bestGrid = Double.NaN;
                for (long g = (long) Math.ceil(lo * fps - TOL); g <= (long) Math.floor(hi * fps + TOL); g++) {
                    double x = g / (double) fps;
                    if (Double.isNaN(bestGrid) || Math.abs(x - target) < Math.abs(bestGrid - target) - TOL) {
                        bestGrid = x;
                    }
                }
                assertEquals(Math.abs(bestGrid - target), Math.abs(cut - target), TOL,
                        () -> w.get() + ": grid point nearest the target " + target);
            } else {
                assertEquals(target, cut, TOL, () -> w.get() + ": unsnapped target when the window holds no grid point");
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // random layouts

    private static final double[] AWKWARD = {3.0, 6.0, 6.01, 2.99, 9.0, 12.0, 12.01, 0.5, 5.999, 18.0, 3.001};

    static List<Section> randomSections(Random rnd, double minLen, double maxLen) {
        int count = 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 40 : 12);
        List<Section> sections = new ArrayList<>();
        double t = 0;
        for (int i = 0; i < count; i++) {
            double len;
            int kind = rnd.nextInt(10);
            if (kind < 2) {
                len = AWKWARD[rnd.nextInt(AWKWARD.length)];
            } else if (kind < 4) {
                len = minLen + rnd.nextDouble() * Math.min(8, maxLen - minLen); // short ones
            } else {
                len = minLen + rnd.nextDouble() * (maxLen - minLen);
            }
            if (rnd.nextInt(3) == 0) {
                len = Math.round(len * 1000) / 1000.0; // analysis boundaries in whole milliseconds
            }
            double end = t + len;
            sections.add(section("s" + i, i, t, end));
            t = end;
        }
        return sections;
    }

    /** Beats with jitter, tempo changes and gaps; empty in about a fifth of the songs. */
    static List<Double> randomBeats(Random rnd, double offset) {
        List<Double> beats = new ArrayList<>();
        int mode = rnd.nextInt(10);
        if (mode < 2) {
            return beats;
        }
        double t = offset + rnd.nextDouble() * 2;
        double period = 60.0 / (60 + rnd.nextDouble() * 120);
        double jitter = rnd.nextBoolean() ? 0 : rnd.nextDouble() * 0.03;
        double songEnd = offset + 2000;
        while (t < songEnd && beats.size() < 20_000) {
            beats.add(t + (rnd.nextDouble() * 2 - 1) * jitter);
            if (rnd.nextInt(200) == 0) {
                period = 60.0 / (60 + rnd.nextDouble() * 120); // tempo change
            }
            if (mode == 2) {
                t += period * 8; // sparse: windows often hold no beat
            } else if (mode == 3 && rnd.nextInt(50) == 0) {
                t += 5 + rnd.nextDouble() * 20; // a beat-less stretch (break, silence)
            } else {
                t += period;
            }
        }
        // jitter can swap neighbours in principle; keep the list non-decreasing as the analysis does
        beats.sort(Double::compare);
        return beats;
    }

    static List<Section> shift(List<Section> sections, double offset) {
        List<Section> out = new ArrayList<>();
        for (Section s : sections) {
            out.add(section(s.id(), s.index(), s.startSec() + offset, s.endSec() + offset));
        }
        return out;
    }

    static Section section(String id, int index, double start, double end) {
        return new Section(id, index, "verse", "verse", "Verse " + (index + 1), index, index, start, end, 0.8, 0.5);
    }

}
