package com.vibecraft.pipeline.analysis.battery;

import com.vibecraft.pipeline.analysis.DetectorResult;
import com.vibecraft.pipeline.analysis.LocalStructureDetector;
import com.vibecraft.pipeline.audio.AudioKind;
import com.vibecraft.pipeline.audio.DecodedAudio;
import org.junit.jupiter.api.Test;

import com.vibecraft.pipeline.analysis.RawSegment;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generalisation battery ({@link GeneralisationBattery}) against the local structure detector,
 * with the shipped boundary model and without it: a per-song table (truth and estimated
 * boundaries, hits within ±0.5 s / ±3 s, truth letters against the detector's groups) and
 * totals, per tag and overall.
 *
 * <p>The issue's goal: every boundary within ±0.5 s in ≥ 95 % of cases and repeated parts in one
 * repetition group. The assertions below sit a little under what today's detector measures (see
 * the constants), so the test passes now and fails when a change loses ground; raise them as the
 * detector improves.
 *
 * <p>As a report without assertions, from the project directory:
 * <pre>
 * mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     com.vibecraft.pipeline.analysis.battery.GeneralisationBatteryTest [on|off|both] [name-filter]
 * </pre>
 * ({@code on} = shipped boundary model, {@code off} = novelty peak picking alone; default both;
 * the optional filter keeps songs whose name contains it.) Columns: {@code n} truth boundaries,
 * {@code h.5}/{@code h3} hits within ±0.5 s / ±3 s, {@code FA} estimates with no truth boundary
 * within ±0.5 s, {@code truth} the part letters, {@code groups} the detector's group of each truth
 * segment (the label covering most of it, as letters in order of appearance), {@code pairs} truth
 * segment pairs grouped right, then the truth boundaries and the estimated segment starts, each
 * with its group letter (the first segment is group a).
 */
class GeneralisationBatteryTest {

    // ---- thresholds: what the detector measured with the shipped models once the novelty peaks that are the
    // ---- boundaries (model off, or the model's fallback) are placed on the bar lines of the section they start
    // ---- (StructureSegmenter.sectionPhase): the boundary, precision and song floors lie between the value before
    // ---- that change and the new one, so that falling back to the old value fails (pairs: a little below);
    // ---- the value before it, then before groups of segments that differ in beat-level rhythm in every
    // ---- occurrence stopped being one material by the absolute similarity rule (StructureSegmenter.RHYTHM_DIFFER)
    // ---- and the clear changes' length slack (StructureSegmenter.LENGTH_SLACK_SEC) in parentheses, then the value
    // ---- before issue 11's first change in brackets (166 truth boundaries, AA restarts counted). The issue's goal
    // ---- is every boundary within ±0.5 s in >= 95 % of cases and every pair grouped right; the songs left are the
    // ---- 10-bar harmony-only pad song (one boundary a bar late) and ABACABA drums+loudness (its A/B parts are not
    // ---- found), with the sequence network placing the trees' starts also IABAI 72bpm's beatless outro (53.3 s
    // ---- found at 46.7 s by the first network, at 60.0 s by the one trained on two renderings), and without the
    // ---- model the timbre-only ABABCB and the drums-only AABA none/four.

    /** Share of truth boundaries hit within ±0.5 s, shipped model. Measured 0.963 (154/160) with the network placing the trees' starts, 0.969 (155/160) with the trees alone, before 0.956 (153/160) (0.888) [0.753]. */
    static final double MODEL_HIT05_MIN = 0.96;
    /** Share of truth boundaries hit within ±3 s, shipped model. Measured 0.969 (trees alone 0.975), before 0.975 (0.900) [0.892]. */
    static final double MODEL_HIT3_MIN = 0.94;
    /** Precision: share of estimated boundaries within ±0.5 s of a truth boundary, shipped model. Measured 0.957 (154/161; trees alone 0.963), before 0.950 (0.953) [0.601]. */
    static final double MODEL_PRECISION05_MIN = 0.955;
    /** Share of truth-segment pairs grouped right (same letter ⇔ same label), shipped model. Measured 0.973, before 0.971 (0.922) [0.829]. */
    static final double MODEL_PAIRS_MIN = 0.96;
    /** Share of songs with every boundary within ±0.5 s, shipped model. Measured 0.938 (45/48; trees alone 46/48), before 0.917 (44/48) (0.854) [0.625]. */
    static final double MODEL_SONGS_ALL_HIT05_MIN = 0.93;

    /** Without the boundary model (novelty peak picking). Measured 0.950 (152/160), before 0.938 (0.875) [0.759]. */
    static final double NOVELTY_HIT05_MIN = 0.943;
    /** Measured 0.963, before 0.963 (0.888) [0.928]. */
    static final double NOVELTY_HIT3_MIN = 0.93;
    /** Measured 0.956 (152/159), before 0.943 (0.952) [0.508]. */
    static final double NOVELTY_PRECISION05_MIN = 0.95;
    /** Measured 0.965, before 0.962 (0.914) [0.857]. */
    static final double NOVELTY_PAIRS_MIN = 0.955;
    /** Measured 0.917 (44/48), before 0.875 (42/48) (0.833) [0.479]. */
    static final double NOVELTY_SONGS_ALL_HIT05_MIN = 0.89;

    /** Totals of one detector over the battery. */
    record Totals(int songs, int truth, int est, int hits05, int hits3, int pairs, int pairsRight, int perfect,
                  int allHit05, double cpuSec) {

        double hit05() {
            return truth == 0 ? 1 : hits05 / (double) truth;
        }

        double hit3() {
            return truth == 0 ? 1 : hits3 / (double) truth;
        }

        double precision05() {
            return est == 0 ? 1 : hits05 / (double) est;
        }

        double precision3() {
            return est == 0 ? 1 : hits3 / (double) est;
        }

        /** Share of songs whose every truth boundary is hit within ±0.5 s. */
        double songsAllHit05() {
            return songs == 0 ? 1 : allHit05 / (double) songs;
        }

        double pairAccuracy() {
            return pairs == 0 ? 1 : pairsRight / (double) pairs;
        }

        Totals plus(BatteryScore s) {
            return new Totals(songs + 1, truth + s.truthCount(), est + s.est().length, hits05 + s.hits05(),
                    hits3 + s.hits3(), pairs + s.pairs(), pairsRight + s.pairsRight(), perfect + (s.perfect() ? 1 : 0),
                    allHit05 + (s.hits05() == s.truthCount() ? 1 : 0), cpuSec);
        }

        static Totals zero() {
            return new Totals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }

        String line() {
            return String.format(Locale.ROOT,
                    "songs %d  boundaries %d  estimated %d | hit ±0.5s %.3f  ±3s %.3f | precision ±0.5s %.3f  ±3s %.3f"
                            + " | pairs right %.3f | songs with every boundary ±0.5s %d/%d (%.0f%%), also no false alarm %d",
                    songs, truth, est, hit05(), hit3(), precision05(), precision3(), pairAccuracy(), allHit05, songs,
                    100.0 * allHit05 / Math.max(1, songs), perfect);
        }
    }

    static DecodedAudio audio(BatterySong s) {
        return new DecodedAudio(s.samples(), SongSynth.SR, AudioKind.WAV);
    }

    /** Runs {@code det} over {@code songs}, printing the per-song table, per-tag totals and totals. */
    static Totals run(LocalStructureDetector det, String title, List<BatterySong> songs, PrintStream out) {
        out.println("=== " + title + " ===");
        out.printf(Locale.ROOT, "%-58s %4s %6s %6s %3s  %-9s %-9s %5s  %s%n", "song", "n", "h.5", "h3", "FA",
                "truth", "groups", "pairs", "truth bounds -> estimated segment starts+group (s)");
        Totals total = Totals.zero();
        Map<String, Totals> byTag = new TreeMap<>();
        long cpu0 = System.nanoTime();
        for (BatterySong s : songs) {
            DetectorResult r = det.detect(audio(s));
            BatteryScore sc = BatteryScore.of(s, r.segments());
            total = total.plus(sc);
            for (String tag : s.tests().split(" ")) {
                byTag.merge(tag, Totals.zero().plus(sc), GeneralisationBatteryTest::sum);
            }
            out.printf(Locale.ROOT, "%-58s %4d %3d/%-2d %3d/%-2d %3d  %-9s %-9s %2d/%-2d  %s -> %s  (bpm %.1f)%n",
                    s.name(), sc.truthCount(), sc.hits05(), sc.truthCount(), sc.hits3(), sc.truthCount(),
                    sc.falseAlarms05(), s.letters(), sc.labelLetters(), sc.pairsRight(), sc.pairs(),
                    secs(s.truth()), segs(r.segments()), r.bpm());
        }
        double sec = (System.nanoTime() - cpu0) / 1e9;
        out.println("--- per tag (" + title + ")");
        byTag.forEach((tag, t) -> out.printf(Locale.ROOT, "  %-14s %s%n", tag, t.line()));
        total = new Totals(total.songs(), total.truth(), total.est(), total.hits05(), total.hits3(), total.pairs(),
                total.pairsRight(), total.perfect(), total.allHit05(), sec);
        out.printf(Locale.ROOT, "TOTAL %s: %s | detection %.1f s%n%n", title, total.line(), sec);
        return total;
    }

    private static Totals sum(Totals a, Totals b) {
        return new Totals(a.songs() + b.songs(), a.truth() + b.truth(), a.est() + b.est(), a.hits05() + b.hits05(),
                a.hits3() + b.hits3(), a.pairs() + b.pairs(), a.pairsRight() + b.pairsRight(),
                a.perfect() + b.perfect(), a.allHit05() + b.allHit05(), a.cpuSec() + b.cpuSec());
    }

    /** Inner segment starts with the detector's group as a letter (first group = a), e.g. "[16.0b 32.0a]". */
    static String segs(List<RawSegment> segments) {
        List<Integer> seen = new ArrayList<>();
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < segments.size(); i++) {
            RawSegment g = segments.get(i);
            int k = seen.indexOf(g.label());
            if (k < 0) {
                seen.add(g.label());
                k = seen.size() - 1;
            }
            if (i > 0) {
                sb.append(i > 1 ? " " : "").append(String.format(Locale.ROOT, "%.1f", g.startMs() / 1000.0))
                        .append((char) ('a' + k));
            }
        }
        return sb.append(']').toString();
    }

    private static String secs(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i > 0 ? " " : "").append(String.format(Locale.ROOT, "%.1f", v[i]));
        }
        return sb.append(']').toString();
    }

    @Test
    void batteryIsWideEnough() {
        List<BatterySong> songs = GeneralisationBattery.songs();
        assertTrue(songs.size() >= 40, "songs: " + songs.size());
        for (BatterySong s : songs) {
            assertTrue(s.durationSec() >= 45 && s.durationSec() <= 150.5, s.name() + " lasts " + s.durationSec());
            double prev = 0;
            for (double b : s.truth()) {
                assertTrue(b - prev >= 7.99, s.name() + ": a part shorter than 8 s at " + b);
                prev = b;
            }
        }
        for (String tag : List.of("textbook", "form", "tempo", "length", "off-bar", "harmony-only", "timbre-only",
                "drums-only", "loudness", "no-beat", "break", "tempo-change")) {
            assertTrue(songs.stream().anyMatch(s -> Arrays.asList(s.tests().split(" ")).contains(tag)), tag);
        }
    }

    @Test
    void shippedBoundaryModel() {
        Totals t = run(new LocalStructureDetector(), "model on", GeneralisationBattery.songs(), System.out);
        assertTrue(t.hit05() >= MODEL_HIT05_MIN, "hit ±0.5 s " + t.hit05());
        assertTrue(t.hit3() >= MODEL_HIT3_MIN, "hit ±3 s " + t.hit3());
        assertTrue(t.precision05() >= MODEL_PRECISION05_MIN, "precision ±0.5 s " + t.precision05());
        assertTrue(t.pairAccuracy() >= MODEL_PAIRS_MIN, "pairs right " + t.pairAccuracy());
        assertTrue(t.songsAllHit05() >= MODEL_SONGS_ALL_HIT05_MIN, "songs all hit ±0.5 s " + t.songsAllHit05());
    }

    @Test
    void noveltyPeakPickingAlone() {
        Totals t = run(new LocalStructureDetector(LocalStructureDetector.DEFAULT_MIN_SECTION_SEC, null), "model off",
                GeneralisationBattery.songs(), System.out);
        assertTrue(t.hit05() >= NOVELTY_HIT05_MIN, "hit ±0.5 s " + t.hit05());
        assertTrue(t.hit3() >= NOVELTY_HIT3_MIN, "hit ±3 s " + t.hit3());
        assertTrue(t.precision05() >= NOVELTY_PRECISION05_MIN, "precision ±0.5 s " + t.precision05());
        assertTrue(t.pairAccuracy() >= NOVELTY_PAIRS_MIN, "pairs right " + t.pairAccuracy());
        assertTrue(t.songsAllHit05() >= NOVELTY_SONGS_ALL_HIT05_MIN, "songs all hit ±0.5 s " + t.songsAllHit05());
    }

    /**
     * The issue's textbook example (A soft minor chords, B loud major chords with a kick on every
     * beat, 120 BPM, parts of 15/16/20/30 s), with the shipped model: every boundary within ±0.5 s,
     * no other boundary, A and B in two groups.
     */
    @Test
    void issueTextbookCases() {
        LocalStructureDetector det = new LocalStructureDetector();
        for (BatterySong s : GeneralisationBattery.songs()) {
            if (!s.tests().contains("textbook")) {
                continue;
            }
            BatteryScore sc = BatteryScore.of(s, det.detect(audio(s)).segments());
            assertTrue(sc.perfect() && sc.pairsRight() == sc.pairs(), s.name() + ": truth " + secs(s.truth())
                    + ", estimate " + secs(sc.est()) + ", groups " + sc.labelLetters());
        }
    }

    /**
     * Parts of 7.5 bars (only the harmony, or only the drums, differ): every other part starts half a
     * bar off the song's bar grid, on its own first bar line. Both detectors (the model finds none of
     * these boundaries and hands over to the novelty peaks) place every boundary within ±0.5 s and
     * group A and B apart (StructureSegmenter.sectionPhase).
     */
    @Test
    void offBarPartsStartOnTheirOwnBarLines() {
        List<LocalStructureDetector> detectors = List.of(new LocalStructureDetector(),
                new LocalStructureDetector(LocalStructureDetector.DEFAULT_MIN_SECTION_SEC, null));
        int checked = 0;
        for (BatterySong s : GeneralisationBattery.songs()) {
            if (!s.name().contains("7.5 bars harmony-only") && !s.name().contains("7.5 bars drums-only")) {
                continue;
            }
            for (LocalStructureDetector det : detectors) {
                BatteryScore sc = BatteryScore.of(s, det.detect(audio(s)).segments());
                assertTrue(sc.hits05() == sc.truthCount() && sc.pairsRight() == sc.pairs(),
                        s.name() + (det.boundaryModel() == null ? " (model off)" : "") + ": truth " + secs(s.truth())
                                + ", estimate " + secs(sc.est()) + ", groups " + sc.labelLetters());
            }
            checked++;
        }
        assertTrue(checked == 2, "songs checked: " + checked);
    }

    /** The report: {@code [on|off|both] [name-filter]}. */
    public static void main(String[] args) {
        String which = args.length > 0 ? args[0] : "both";
        String filter = args.length > 1 ? args[1] : "";
        long t0 = System.nanoTime();
        List<BatterySong> songs = GeneralisationBattery.songs().stream().filter(s -> s.name().contains(filter))
                .toList();
        System.out.printf(Locale.ROOT, "%d songs generated in %.1f s%n%n", songs.size(), (System.nanoTime() - t0) / 1e9);
        if (!which.equals("off")) {
            run(new LocalStructureDetector(), "model on", songs, System.out);
        }
        if (!which.equals("on")) {
            run(new LocalStructureDetector(LocalStructureDetector.DEFAULT_MIN_SECTION_SEC, null), "model off", songs,
                    System.out);
        }
    }
}
