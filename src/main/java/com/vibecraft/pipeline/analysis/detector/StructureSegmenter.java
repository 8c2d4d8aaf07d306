package com.vibecraft.pipeline.analysis.detector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds section boundaries and repetition labels on beat-synchronous features.
 *
 * <ol>
 *   <li>Units: the beat grid (extrapolated at the regular period into the lead-in and tail; a
 *       0.5 s grid when no beats were found). Per unit: mean chroma (max-normalised) and mean
 *       MFCC 1–12 (z-scored over the song).</li>
 *   <li>Self-similarity: cosine similarity of chroma and of MFCC, averaged, then time-delay
 *       embedded (mean along diagonals over about {@value #EMBED_SEC} s).</li>
 *   <li>Structural features (Serrà, Müller, Grosche, Arcos, "Unsupervised music structure
 *       annotation by time series structure features and segment similarity", IEEE TMM 2014):
 *       mutual k-nearest-neighbour recurrence plot, circular time-lag matrix, Gaussian smoothing
 *       along time, novelty = distance between successive rows; plus half the same novelty
 *       computed on the plain recurrence rows, which also sees changes inside repeated blocks. (A Foote checkerboard novelty on
 *       the same matrix was tried and lowered the boundary scores on the piano benchmark, where
 *       sections rarely change texture, so it is not used.)</li>
 *   <li>Peak picking: local maxima above a moving-average threshold, taken strongest first while
 *       keeping every section at least the minimum length; boundaries are moved one beat later
 *       (melodic pick-ups pull the novelty early) and then to the nearest bar start (4 beats per
 *       bar; the downbeat phase per region from harmonic change and onset and bass-onset
 *       strength, {@link #barPhases}); finally
 *       {@link BarSegmentation#refine} may move each by one bar to where a finely smoothed
 *       structural novelty is clearly stronger. This is the choice without a model, where each peak
 *       is snapped to the bar lines of the section it starts ({@link #sectionPhase}); with a
 *       {@link BoundaryModel} (the default) every beat is scored from {@link BoundaryFeatures}
 *       (which include this choice on the song's bar phase, as the model was trained) and the
 *       section starts are chosen by {@link BoundaryModel#pick}, unless the model sees almost
 *       nothing ({@link #FALLBACK_RATIO}).</li>
 *   <li>Clear changes of sound ({@link ChangePoints}): a contrast peak of at least
 *       {@link #CLEAR_CONTRAST} is a boundary at its own time (frame resolution, on or off the beat
 *       grid) and replaces the boundaries within the minimum section length of it; another boundary
 *       moves onto a peak of at least {@link #SNAP_CONTRAST} within {@link #SNAP_SEC}.</li>
 *   <li>Labels: segment-to-segment similarity is the best diagonal alignment in the
 *       self-similarity matrix; average-linkage clustering, where two segments that clearly sound different (whole-segment
 *       contrast at least {@link #CLEAR_CONTRAST}) are never one material, and two groups whose every pair
 *       differs in beat-level rhythm ({@link #RHYTHM_DIFFER}) are one material only by the song's z-score,
 *       not by the absolute {@link #SAME_SIM} rule (a drum kit entering); neighbours of one
 *       material are merged into one segment; cluster k (in order of first
 *       appearance) gets label 100·k, capped at 1000.</li>
 * </ol>
 * Cost is O(units²) with units ≈ beats (a few hundred for a song); stateless.
 */
public final class StructureSegmenter {

    /** One section: start/end in seconds and a cluster index (0 = first material heard). */
    public record Segment(double startSec, double endSec, int cluster) {
    }

    /**
     * With the boundary model, novelty peak picking is used instead when it finds more than this
     * many times as many boundaries as the model (pop909-train: 2 or 3 or never change HR3Ft by
     * under .01; on generated test songs with 7.5-bar sections the model alone finds none).
     */
    static final double FALLBACK_RATIO = 2.0;
    /** Smoothing of the coarse structural novelty (boundary model feature). */
    static final double COARSE_SEC = 8.0;
    /** Time-delay embedding length (mean along diagonals of the self-similarity matrix). */
    static final double EMBED_SEC = 3.0;
    /** Recurrence neighbours per unit, as a fraction of the units (at least 3). */
    static final double KNN_FRACTION = 0.02;
    /** Gaussian smoothing of the time-lag matrix along time (standard deviation). */
    static final double SF_SMOOTH_SEC = 4.0;
    /** Above this many units (very long or very fast songs) beats are grouped in twos, threes, ... */
    static final int MAX_UNITS = 1200;
    /** Weight of the timbre (MFCC) similarity against the chroma similarity. */
    static final double TIMBRE_W = 0.5;
    /** A peak must exceed the mean novelty of its ±{@link #THR_WIN_SEC} neighbourhood by this much (novelty max = 1). */
    static final double PEAK_DELTA = 0.05;
    static final double THR_WIN_SEC = 8.0;
    /**
     * Segment clusters merge while their average aligned similarity is this many standard
     * deviations above the song's mean unit-to-unit similarity. pop909-train with the boundary
     * model, z = 1.5 / 2 / 2.5 / 3 / 3.5: PWF .654 / .677 / .683 / .668 / .638, HR3Ft .507 / .550 /
     * .579 / .571 / .546 (section naming merges neighbours of one type, so labels move boundaries too).
     */
    static final double CLUSTER_Z = 2.5;
    /**
     * Segments whose aligned similarity (cosine, max 1) reaches this are the same material whatever
     * the song's statistics: in a song of two materials the z-score of an exact repeat is only
     * about 2.4 (the similarity distribution is bimodal).
     */
    static final double SAME_SIM = 0.85;
    /**
     * Beat-level rhythm contrast ({@link #rhythmContrast}) from which two groups of segments, every
     * occurrence of one this far from every occurrence of the other, are not one material merely
     * because their harmony and timbre reach {@link #SAME_SIM}; the song's z-score still decides.
     * Twice the 95th percentile (0.35) of the contrast between segments of one section type that
     * reach SAME_SIM on pop909-train (40 songs; median 0.03). A drum kit entering over the same
     * chords and instruments scores 0.93–0.96 on similarity (a z-score of only 2.2–2.4, below
     * {@link #CLUSTER_Z}, as a song's exact repeats) and is heard by rhythm alone: the battery's
     * drums-only parts 1.2–17 as WAV, hats-to-rock under 1.0 once Vorbis-encoded. On pop909-train
     * every pair reaching SAME_SIM also reaches CLUSTER_Z, so the rule does not apply there.
     */
    static final double RHYTHM_DIFFER = 0.7;
    /** Dimensions of the rhythm profile ({@link #rhythmProfile}): onset and bass-onset strength. */
    static final int RHYTHM_DIMS = 2;
    /**
     * Weight of the novelty of the plain recurrence rows ("which other parts am I like") beside the
     * time-lag novelty. The time-lag matrix alone cannot see the boundaries inside a repeated
     * block (A→B in A B A B), the plain rows can.
     */
    static final double ABS_W = 0.5;

    /**
     * Novelty peaks are moved this many units (beats) later before snapping to the nearest bar
     * line: melodic pick-ups pull the smoothed novelty early (train: HR.5Ft .246 → .279).
     */
    static final int SHIFT = 1;

    private StructureSegmenter() {
    }

    public static List<Segment> segment(SpectralFeatures f, int[] beatFrames, double durationSec,
                                        double minSectionSec) {
        return segment(f, beatFrames, durationSec, minSectionSec, null);
    }

    /**
     * @param model optional learned boundary scorer; {@code null} = peak picking on the structural
     *              novelty alone
     */
    public static List<Segment> segment(SpectralFeatures f, int[] beatFrames, double durationSec,
                                        double minSectionSec, BoundaryModel model) {
        List<Segment> single = List.of(new Segment(0.0, durationSec, 0));
        if (durationSec < 2 * minSectionSec) {
            return single;
        }
        Units x = analyse(f, beatFrames, durationSec);
        if (x == null) {
            return single;
        }
        int n = x.n;
        List<Integer> bounds;
        double[] p = null;
        if (model != null) {
            BoundaryModel.Probabilities probabilities = model.probabilities(x, minSectionSec);
            p = probabilities.starts();
            bounds = model.sectionStarts(x, probabilities, minSectionSec, durationSec);
            List<Integer> novelty = noveltyBoundaries(x, minSectionSec);
            if (bounds.size() * FALLBACK_RATIO < novelty.size()) {
                // the model, trained on piano pop, sees almost nothing where the novelty shows clear
                // changes (unlike anything it was trained on): trust the novelty peaks
                bounds = novelty;
            } else {
                bounds = withAgreeingNoveltyPeaks(bounds, classicBoundaries(x, minSectionSec), x, f.frameRate,
                        minSectionSec);
            }
        } else {
            bounds = noveltyBoundaries(x, minSectionSec);
        }
        double[] times = new double[bounds.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = x.unitSec[bounds.get(i)];
        }
        times = withClearChanges(times, x.frameContrast, f.frameRate, minSectionSec, durationSec);
        times = withLongSectionsSplit(times, x.unitSec, p != null ? p : x.fine, minSectionSec, durationSec);
        // --- labels
        int[] edges = new int[times.length + 2];
        edges[0] = 0;
        for (int i = 0; i < times.length; i++) {
            edges[i + 1] = Math.max(edges[i] + 1, Math.min(n - 1, nearestUnit(x.unitSec, times[i])));
        }
        edges[edges.length - 1] = n;
        double[] edgesSec = new double[times.length + 2];
        System.arraycopy(times, 0, edgesSec, 1, times.length);
        edgesSec[edgesSec.length - 1] = durationSec;
        double[][] differ = x.sound.segmentContrast(edgesSec);
        double[][] rhythm = rhythmContrast(x.rhythm, edges);
        boolean[] sounding = new boolean[n];
        for (int u = 0; u < n; u++) {
            sounding[u] = x.rhythm[u] != null;
        }
        int[] cluster = clusterSegments(x.s, edges, differ, CLEAR_CONTRAST, rhythm, sounding);
        List<Segment> out = new ArrayList<>();
        for (int i = 0; i + 1 < edges.length; i++) {
            double a = i == 0 ? 0.0 : times[i - 1];
            double b = i + 2 == edges.length ? durationSec : times[i];
            if (!out.isEmpty() && out.get(out.size() - 1).cluster() == cluster[i]) {
                // neighbours of one material are one section: the split was a repeat inside it
                Segment prev = out.remove(out.size() - 1);
                out.add(new Segment(prev.startSec(), b, cluster[i]));
            } else {
                out.add(new Segment(a, b, cluster[i]));
            }
        }
        return out;
    }


    /**
     * Contrast ({@link ChangePoints}) at which a change of sound is a section boundary by itself,
     * and at which two segments are never the same material. Inside pop909-dev's piano songs the
     * contrast rarely passes 6; joins of different recordings in real-dev reach 5–60.
     */
    static final double CLEAR_CONTRAST = 8.0;
    /**
     * Sections longer than this are split where a section most likely starts inside them. Pop
     * sections run 8–16 bars, 20–45 s at pop tempos; one that runs on much longer more likely hides a
     * change that the cues show only faintly (two recordings of similar sound, a chorus after a verse
     * of the same groove) than a part that long.
     */
    static final double LONG_SECTION_SEC = 45.0;
    /**
     * A long section is split only where the start evidence (the boundary model's probability, or
     * the fine novelty without a model) reaches this: half the bundled model's threshold. Music that
     * really does not change stays one section; a lower floor splits on noise, and WAV and MP3 of the
     * same song then disagree.
     */
    static final double LONG_SECTION_MIN_EVIDENCE = 0.10;

    /**
     * Splits every section longer than {@link #LONG_SECTION_SEC} at its unit of strongest start
     * evidence at least {@code minSec} from either end, as long as that evidence reaches
     * {@link #LONG_SECTION_MIN_EVIDENCE}; the halves are checked again.
     *
     * @param times    section starts after the first (seconds, ascending)
     * @param unitSec  start time of each unit
     * @param evidence per unit, how likely a section starts there
     */
    static double[] withLongSectionsSplit(double[] times, double[] unitSec, double[] evidence, double minSec,
                                          double durationSec) {
        List<Double> out = new ArrayList<>();
        for (double t : times) {
            out.add(t);
        }
        int at = 0;
        while (at <= out.size()) {
            double a = at == 0 ? 0.0 : out.get(at - 1);
            double b = at == out.size() ? durationSec : out.get(at);
            int best = -1;
            if (b - a > LONG_SECTION_SEC) {
                // only this section's units (unitSec ascends)
                int from = Arrays.binarySearch(unitSec, 0, evidence.length, a + minSec);
                for (int u = from < 0 ? -from - 1 : from; u < evidence.length && unitSec[u] <= b - minSec; u++) {
                    if (evidence[u] >= LONG_SECTION_MIN_EVIDENCE && (best < 0 || evidence[u] > evidence[best])) {
                        best = u;
                    }
                }
            }
            if (best < 0) {
                at++;
            } else {
                // the first half is looked at again, then the second
                out.add(at, unitSec[best]);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Contrast of a peak that a nearby boundary is moved onto (the change is where the sound changes). */
    static final double SNAP_CONTRAST = 4.0;
    /** How far a boundary found on the beat grid may move onto a contrast peak. */
    static final double SNAP_SEC = 2.0;
    /**
     * Two change peaks exactly one minimum section apart are measured on frames and can come out a
     * frame short of it (8-s parts: peaks 7.99 s apart); lengths within this slack count as the minimum.
     */
    static final double LENGTH_SLACK_SEC = 0.25;

    /**
     * Adds to the model's boundaries the novelty peaks where the sound changes too (a contrast of
     * at least {@link #SNAP_CONTRAST} within a second): two independent cues agreeing.
     */
    static List<Integer> withAgreeingNoveltyPeaks(List<Integer> bounds, List<Integer> classic, Units x,
                                                  double frameRate, double minSec) {
        List<Integer> out = new ArrayList<>(bounds);
        int w = (int) Math.round(frameRate);
        for (int c : classic) {
            double t = x.unitSec[c];
            boolean free = true;
            for (int b : out) {
                if (Math.abs(x.unitSec[b] - t) < minSec) {
                    free = false;
                    break;
                }
            }
            if (!free) {
                continue;
            }
            int fr = (int) Math.round(t * frameRate);
            double mx = 0;
            for (int q = Math.max(0, fr - w); q <= Math.min(x.frameContrast.length - 1, fr + w); q++) {
                mx = Math.max(mx, x.frameContrast[q]);
            }
            if (mx >= SNAP_CONTRAST) {
                out.add(c);
            }
        }
        out.sort(Integer::compare);
        return out;
    }

    /**
     * Adds the clear changes of sound to the boundaries found on the beat grid: a clear change
     * replaces the boundaries within the minimum section length of it (it is where the sound changes;
     * those are its imprecise copies or too close to it), and any other boundary moves onto a
     * contrast peak within {@link #SNAP_SEC} when there is one.
     */
    static double[] withClearChanges(double[] times, double[] contrast, double frameRate, double minSec,
                                     double durationSec) {
        List<ChangePoints.Change> peaks = ChangePoints.peaks(contrast, frameRate, Math.min(SNAP_CONTRAST, CLEAR_CONTRAST));
        List<ChangePoints.Change> clear = new ArrayList<>();
        List<ChangePoints.Change> byStrength = new ArrayList<>(peaks);
        byStrength.sort((a, b) -> Double.compare(b.contrast(), a.contrast()));
        double clearSec = minSec - LENGTH_SLACK_SEC;
        for (ChangePoints.Change c : byStrength) {
            if (c.contrast() < CLEAR_CONTRAST || c.sec() < clearSec || durationSec - c.sec() < clearSec) {
                continue;
            }
            boolean free = true;
            for (ChangePoints.Change o : clear) {
                if (Math.abs(o.sec() - c.sec()) < clearSec) {
                    free = false;
                    break;
                }
            }
            if (free) {
                clear.add(c);
            }
        }
        List<Double> out = new ArrayList<>();
        for (ChangePoints.Change c : clear) {
            out.add(c.sec());
        }
        for (double t : times) {
            boolean nearClear = false;
            for (ChangePoints.Change c : clear) {
                if (Math.abs(c.sec() - t) < clearSec) {
                    nearClear = true;
                    break;
                }
            }
            if (nearClear) {
                continue;
            }
            double best = t;
            double bestC = 0;
            for (ChangePoints.Change p : peaks) {
                if (p.contrast() >= SNAP_CONTRAST && Math.abs(p.sec() - t) <= SNAP_SEC && p.contrast() > bestC) {
                    best = p.sec();
                    bestC = p.contrast();
                }
            }
            out.add(best);
        }
        out.sort(Double::compare);
        // keep every section at least minSec long: drop the later of two boundaries too close
        List<Double> kept = new ArrayList<>();
        for (double t : out) {
            if (t >= minSec * 0.5 && durationSec - t >= minSec * 0.5
                    && (kept.isEmpty() || t - kept.get(kept.size() - 1) >= minSec * 0.5)) {
                kept.add(t);
            }
        }
        return kept.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static int nearestUnit(double[] unitSec, double t) {
        int i = Arrays.binarySearch(unitSec, t);
        if (i >= 0) {
            return i;
        }
        int hi = -i - 1;
        int lo = hi - 1;
        if (hi >= unitSec.length) {
            return lo;
        }
        if (lo < 0) {
            return hi;
        }
        return t - unitSec[lo] <= unitSec[hi] - t ? lo : hi;
    }

    /**
     * Novelty peak picking, snapping to the song's bar phase and bar refinement: the boundary model's
     * {@code classic} features (as it was trained) and the novelty peaks that a contrast of sound can
     * confirm ({@link #withAgreeingNoveltyPeaks}).
     */
    static List<Integer> classicBoundaries(Units x, double minSectionSec) {
        return classicBoundaries(x, minSectionSec, false);
    }

    /**
     * The boundaries without a model (or where the model sees almost nothing): as
     * {@link #classicBoundaries}, but each novelty peak snapped to the bar lines of the section it
     * starts ({@link #sectionPhase}).
     */
    static List<Integer> noveltyBoundaries(Units x, double minSectionSec) {
        return classicBoundaries(x, minSectionSec, true);
    }

    private static List<Integer> classicBoundaries(Units x, double minSectionSec, boolean sectionPhase) {
        double durationSec = x.unitSec[x.n];
        int minUnits = Math.max(1, (int) Math.ceil(minSectionSec / x.unitLen));
        List<Integer> bounds = pickPeaks(x.nov, x.unitSec, minSectionSec, durationSec, x.unitLen, x.phase, minUnits,
                sectionPhase ? x.barEvidence : null);
        return BarSegmentation.refine(bounds, x.fine, x.unitSec, minSectionSec, durationSec);
    }

    /** The beat-synchronous view of a song that boundary choice and labelling work on. */
    static final class Units {
        int n;
        /** Start time of each unit (n + 1 entries, the last = duration). */
        double[] unitSec;
        double unitLen;
        float[][] chroma;
        /** MFCC 1–12 per unit, z-scored over the song, each row of norm 1. */
        float[][] timbre;
        double[] onset;
        double[] low;
        double[] energyDb;
        /** Embedded self-similarity. */
        double[][] s;
        /** Structural novelty, coarse (max 1) and fine (max 1). */
        double[] nov;
        double[] fine;
        /** Structural novelty smoothed over {@value #COARSE_SEC} s (max 1): changes between long parts. */
        double[] coarse;
        /** The same over twice that. */
        double[] coarser;
        /** Recurrence neighbours per unit (how often this moment recurs), per neighbour budget k. */
        double[] repCount;
        /** Repetition stripes (diagonals of the recurrence plot) starting / ending at each unit, per neighbour. */
        double[] stripeStart;
        double[] stripeEnd;
        int[] phase;
        /** Per unit, the evidence that a bar starts there ({@link #barEvidence}). */
        double[] barEvidence;
        /**
         * Beat-level rhythm profile per unit ({@link #rhythmProfile}): the mean onset and bass-onset
         * strength over the beat, each z-scored over the song; null for a silent unit.
         */
        double[][] rhythm;
        /** The song's sound profile, its contrast per frame and the largest within ±1 unit of each unit start. */
        ChangePoints sound;
        double[] frameContrast;
        double[] contrast;
    }

    /** Beat-synchronous features, self-similarity, novelty and bar phases; null when too short. */
    static Units analyse(SpectralFeatures f, int[] beatFrames, double durationSec) {
        if (f.nFrames < 4) {
            return null;
        }
        int[] grid = buildGrid(beatFrames, f.nFrames, f.frameRate);
        int nUnits = grid.length - 1;
        if (nUnits < 8) {
            return null;
        }
        Units x = new Units();
        double[] unitSec = new double[grid.length];
        for (int i = 0; i < grid.length; i++) {
            unitSec[i] = Math.min(durationSec, f.frameTime(grid[i]));
        }
        unitSec[0] = 0.0;
        unitSec[nUnits] = durationSec;
        double unitLen = durationSec / nUnits;

        // --- beat-synchronous features
        float[][] chroma = new float[nUnits][12];
        float[][] timbre = new float[nUnits][SpectralFeatures.N_MFCC - 1];
        double[] onsetAtUnit = new double[nUnits];
        double[] lowAtUnit = new double[nUnits];
        double[] energy = new double[nUnits];
        for (int u = 0; u < nUnits; u++) {
            int a = grid[u];
            int b = Math.max(a + 1, grid[u + 1]);
            b = Math.min(b, f.nFrames);
            int cnt = Math.max(1, b - a);
            for (int t = a; t < b; t++) {
                for (int c = 0; c < 12; c++) {
                    chroma[u][c] += f.chroma[t][c];
                }
                for (int c = 1; c < SpectralFeatures.N_MFCC; c++) {
                    timbre[u][c - 1] += f.mfcc[t][c] / cnt;
                }
                energy[u] += f.energyDb[t] / (double) cnt;
            }
            // onset strength around the unit start (±1 frame)
            double s = 0;
            for (int t = Math.max(0, a - 1); t <= Math.min(f.nFrames - 1, a + 1); t++) {
                s = Math.max(s, f.onset[t]);
            }
            onsetAtUnit[u] = s;
            double lo = 0;
            for (int t = Math.max(0, a - 1); t <= Math.min(f.nFrames - 1, a + 1); t++) {
                lo = Math.max(lo, f.lowOnset[t]);
            }
            lowAtUnit[u] = lo;
            double mx = 0;
            for (int c = 0; c < 12; c++) {
                mx = Math.max(mx, chroma[u][c]);
            }
            for (int c = 0; c < 12; c++) {
                chroma[u][c] = mx > 0 ? (float) (chroma[u][c] / mx) : 0f;
            }
        }
        zScoreColumns(timbre);
        normalizeRows(chroma);
        normalizeRows(timbre);

        // --- self-similarity
        int n = nUnits;
        double[][] s0 = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double v = ((1 - TIMBRE_W) * dot(chroma[i], chroma[j]) + TIMBRE_W * dot(timbre[i], timbre[j]));
                s0[i][j] = v;
                s0[j][i] = v;
            }
        }
        int m = Math.max(1, (int) Math.round(EMBED_SEC / unitLen));
        double[][] s = embed(s0, m);

        // --- novelty
        x.stripeStart = new double[n];
        x.repCount = new double[n];
        x.stripeEnd = new double[n];
        double[][] sfs = structuralFeatureNovelty(s, m, unitLen, x.stripeStart, x.stripeEnd, x.repCount,
                SF_SMOOTH_SEC, BarSegmentation.FINE_SEC, COARSE_SEC, 2 * COARSE_SEC);
        double[] sf = sfs[0];
        normalizeByInteriorMax(sf, unitSec, NORMALIZE_EDGE_SEC);
        double[] fine = sfs[1];
        normalizeByInteriorMax(fine, unitSec, NORMALIZE_EDGE_SEC);

        x.n = n;
        x.unitSec = unitSec;
        x.unitLen = unitLen;
        x.chroma = chroma;
        x.timbre = timbre;
        x.onset = onsetAtUnit;
        x.low = lowAtUnit;
        x.energyDb = energy;
        x.s = s;
        x.nov = sf;
        x.fine = fine;
        x.coarse = sfs[2];
        normalizeMax(x.coarse);
        x.coarser = sfs[3];
        normalizeMax(x.coarser);
        x.barEvidence = barEvidence(chroma, onsetAtUnit, lowAtUnit);
        x.phase = barPhases(x.barEvidence);
        x.rhythm = rhythmProfile(f, grid);
        x.sound = ChangePoints.of(f);
        x.frameContrast = x.sound.contrast();
        x.contrast = new double[n];
        for (int u = 0; u < n; u++) {
            int a = grid[Math.max(0, u - 1)];
            int b = Math.min(f.nFrames, grid[Math.min(nUnits, u + 1)] + 1);
            double mx = 0;
            for (int t = a; t < b; t++) {
                mx = Math.max(mx, x.frameContrast[t]);
            }
            x.contrast[u] = mx;
        }
        return x;
    }

    /**
     * Boundaries from a per-unit boundary probability: local maxima (±2 units) above the
     * threshold, strongest first, keeping every section at least the minimum length.
     */
    static List<Integer> pickByScore(double[] p, double[] unitSec, double minSec, double durationSec,
                                     double threshold) {
        int n = p.length;
        List<Integer> cand = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            if (!(p[i] >= threshold)) {
                continue;
            }
            boolean isMax = true;
            for (int d = -2; d <= 2 && isMax; d++) {
                int u = i + d;
                if (u >= 1 && u < n && u != i && (p[u] > p[i] || (p[u] == p[i] && u < i))) {
                    isMax = false;
                }
            }
            if (isMax) {
                cand.add(i);
            }
        }
        cand.sort((a, b) -> Double.compare(p[b], p[a]));
        List<Integer> chosen = new ArrayList<>();
        for (int u : cand) {
            double t = unitSec[u];
            if (t < minSec || durationSec - t < minSec) {
                continue;
            }
            boolean ok = true;
            for (int o : chosen) {
                if (Math.abs(unitSec[o] - t) < minSec) {
                    ok = false;
                    break;
                }
            }
            if (ok) {
                chosen.add(u);
            }
        }
        chosen.sort(Integer::compare);
        return chosen;
    }

    /** Beat grid extended at the median period to cover the whole song; a fixed grid without beats. */
    static int[] buildGrid(int[] beats, int nFrames, double frameRate) {
        List<Integer> g = new ArrayList<>();
        if (beats.length >= 4) {
            int[] d = new int[beats.length - 1];
            for (int i = 1; i < beats.length; i++) {
                d[i - 1] = beats[i] - beats[i - 1];
            }
            Arrays.sort(d);
            double period = Math.max(2, d[d.length / 2]);
            // group beats so that there are at most MAX_UNITS units
            int group = 1;
            while (nFrames / (period * group) > MAX_UNITS) {
                group++;
            }
            List<Double> pre = new ArrayList<>();
            for (double t = beats[0] - period; t > 0.5 * period; t -= period) {
                pre.add(t);
            }
            List<Double> all = new ArrayList<>();
            for (int i = pre.size() - 1; i >= 0; i--) {
                all.add(pre.get(i));
            }
            for (int b : beats) {
                all.add((double) b);
            }
            for (double t = beats[beats.length - 1] + period; t < nFrames - 0.5 * period; t += period) {
                all.add(t);
            }
            g.add(0);
            // keep the first real beat aligned to the grouping
            int offset = Math.floorMod(pre.size(), group);
            for (int i = offset; i < all.size(); i += group) {
                int v = (int) Math.round(all.get(i));
                if (v > g.get(g.size() - 1) && v < nFrames) {
                    g.add(v);
                }
            }
            g.add(nFrames);
        } else {
            int step = Math.max(1, (int) Math.round(0.5 * frameRate));
            while (nFrames / (double) step > MAX_UNITS) {
                step *= 2;
            }
            for (int t = 0; t < nFrames; t += step) {
                g.add(t);
            }
            g.add(nFrames);
        }
        // drop a tiny last unit
        if (g.size() > 2 && g.get(g.size() - 1) - g.get(g.size() - 2) < 2) {
            g.remove(g.size() - 2);
        }
        return g.stream().mapToInt(Integer::intValue).toArray();
    }

    static double[][] embed(double[][] s0, int m) {
        int n = s0.length;
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double acc = 0;
                int c = 0;
                // centred embedding window
                for (int k = -(m / 2); k < m - m / 2; k++) {
                    int a = i + k;
                    int b = j + k;
                    if (a >= 0 && b >= 0 && a < n && b < n) {
                        acc += s0[a][b];
                        c++;
                    }
                }
                double v = c > 0 ? acc / c : 0;
                s[i][j] = v;
                s[j][i] = v;
            }
        }
        return s;
    }

    static double[] structuralFeatureNovelty(double[][] s, int m, double unitLen) {
        return structuralFeatureNovelty(s, m, unitLen, null, null, null, SF_SMOOTH_SEC)[0];
    }

    /** Structural-feature novelty for each of the given smoothing lengths (seconds). */
    static double[][] structuralFeatureNovelty(double[][] s, int m, double unitLen, double[] stripeStart,
                                               double[] stripeEnd, double[] repCount, double... smoothSec) {
        int n = s.length;
        int k = Math.max(3, (int) Math.round(KNN_FRACTION * n));
        // k-th largest similarity per row (excluding the near diagonal)
        double[] thr = new double[n];
        double[] row = new double[n];
        for (int i = 0; i < n; i++) {
            int c = 0;
            for (int j = 0; j < n; j++) {
                if (Math.abs(i - j) > m) {
                    row[c++] = s[i][j];
                }
            }
            if (c == 0) {
                thr[i] = Double.POSITIVE_INFINITY;
                continue;
            }
            double[] r = Arrays.copyOf(row, c);
            Arrays.sort(r);
            thr[i] = r[Math.max(0, c - Math.min(k, c))];
        }
        // mutual-kNN recurrence plot and its circular time-lag matrix
        float[][] rec = new float[n][n];
        float[][] lag = new float[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (Math.abs(i - j) > m && s[i][j] >= thr[i] && s[i][j] >= thr[j]) {
                    rec[i][j] = 1f;
                    lag[i][Math.floorMod(j - i, n)] = 1f;
                }
            }
        }
        if (stripeStart != null) {
            stripes(rec, k, stripeStart, stripeEnd);
        }
        if (repCount != null) {
            for (int i = 0; i < n; i++) {
                double c = 0;
                for (int j = 0; j < n; j++) {
                    c += rec[i][j];
                }
                repCount[i] = c / k;
            }
        }
        double[][] out = new double[smoothSec.length][];
        for (int q = 0; q < smoothSec.length; q++) {
            double sigma = Math.max(1.0, smoothSec[q] / unitLen);
            double[] nLag = rowChange(lag, sigma);
            double[] nAbs = rowChange(rec, sigma);
            normalizeMax(nLag);
            normalizeMax(nAbs);
            double[] nov = new double[n];
            for (int i = 0; i < n; i++) {
                nov[i] = nLag[i] + ABS_W * nAbs[i];
            }
            out[q] = nov;
        }
        return out;
    }

    /**
     * Per unit i, the share (of the k neighbours) of recurrence diagonals that begin at row i
     * (rec[i][j] set, rec[i-1][j-1] not) and that ended just before it (rec[i-1][j-1] set,
     * rec[i][j] not): a repeated block starts or stops here.
     */
    static void stripes(float[][] rec, int k, double[] start, double[] end) {
        int n = rec.length;
        for (int i = 1; i < n; i++) {
            int st = 0;
            int en = 0;
            float[] r = rec[i];
            float[] q = rec[i - 1];
            for (int j = 1; j < n; j++) {
                boolean on = r[j] != 0f;
                boolean before = q[j - 1] != 0f;
                if (on && !before) {
                    st++;
                } else if (!on && before) {
                    en++;
                }
            }
            start[i] = st / (double) k;
            end[i] = en / (double) k;
        }
    }

    /**
     * Smooths a matrix along its rows' index (time) with a Gaussian, lightly along columns
     * ([1 2 1]/4, circular), and returns the Euclidean distance between successive rows.
     */
    static double[] rowChange(float[][] x, double sigma) {
        int n = x.length;
        int h = (int) Math.ceil(2.5 * sigma);
        double[] g = new double[2 * h + 1];
        for (int i = -h; i <= h; i++) {
            g[i + h] = Math.exp(-0.5 * (i / sigma) * (i / sigma));
        }
        int cols = n == 0 ? 0 : x[0].length;
        float[][] p = new float[n][cols];
        double[] acc = new double[cols];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(acc, 0);
            double ws = 0;
            for (int d = -h; d <= h; d++) {
                int u = i + d;
                if (u >= 0 && u < n) {
                    double w = g[d + h];
                    ws += w;
                    float[] row = x[u];
                    for (int l = 0; l < cols; l++) {
                        if (row[l] != 0f) {
                            acc[l] += w * row[l];
                        }
                    }
                }
            }
            for (int l = 0; l < cols; l++) {
                p[i][l] = (float) (acc[l] / ws);
            }
        }
        float[] tmp = new float[cols];
        for (int i = 0; i < n; i++) {
            float[] r = p[i];
            for (int l = 0; l < cols; l++) {
                tmp[l] = 0.25f * r[(l - 1 + cols) % cols] + 0.5f * r[l] + 0.25f * r[(l + 1) % cols];
            }
            System.arraycopy(tmp, 0, r, 0, cols);
        }
        double[] nov = new double[n];
        for (int i = 1; i < n; i++) {
            double sum = 0;
            for (int l = 0; l < cols; l++) {
                double d = p[i][l] - p[i - 1][l];
                sum += d * d;
            }
            nov[i] = Math.sqrt(sum);
        }
        return nov;
    }

    /** Weight of the onset strength at a beat in the bar-start evidence (harmonic change has weight 1). */
    static final double PHASE_ONSET_W = 0.25;
    /** Weight of the bass (low-band) onset strength in the bar-start evidence. */
    static final double PHASE_BASS_W = 2.0;
    /** The bar phase is chosen per unit over this many beats either side (16 bars of 4/4). */
    static final int PHASE_WIN = 64;

    /**
     * Beat phase (0–3) of bar starts, per unit. Each beat gets evidence of being a bar start:
     * harmonic change from the previous beat (1 − chroma cosine) plus onset strength and, weighted
     * most, bass onset strength (chords and bass notes change on the downbeat; the left hand of
     * a piano arrangement lands on it), each relative to its song mean. For every unit, the phase
     * whose beats (every 4th) have the highest mean evidence within ±{@value #PHASE_WIN} beats is
     * taken, so that a bar of 2 or 6 beats, or a dropped beat, only shifts the phase locally.
     *
     * <p>pop909-train (250 songs), against one global phase from chroma change + onsets:
     * HR.5Ft .324 → .334, HR3Ft .470 → .471, PWF .637 → .638. The ±2-beat (half-bar) misses
     * fall, but most whole-bar misses are bars, not phase: estimated boundaries one bar early.
     */
    static int[] barPhases(float[][] chroma, double[] onsetAtUnit, double[] lowAtUnit) {
        return barPhases(barEvidence(chroma, onsetAtUnit, lowAtUnit));
    }

    /**
     * Per unit, the evidence that a bar starts there ({@link #barPhases}): harmonic change from the
     * previous beat plus onset and bass-onset strength, each relative to its song mean.
     */
    static double[] barEvidence(float[][] chroma, double[] onsetAtUnit, double[] lowAtUnit) {
        int n = chroma.length;
        double[] change = new double[n];
        for (int i = 1; i < n; i++) {
            change[i] = 1.0 - dot(chroma[i - 1], chroma[i]);
        }
        double mc = mean(change) + 1e-9;
        double mo = mean(onsetAtUnit) + 1e-9;
        double ml = mean(lowAtUnit) + 1e-9;
        double[] ev = new double[n];
        for (int i = 0; i < n; i++) {
            ev[i] = change[i] / mc + PHASE_ONSET_W * onsetAtUnit[i] / mo + PHASE_BASS_W * lowAtUnit[i] / ml;
        }
        return ev;
    }

    /** The bar phase per unit ({@link #barPhases(float[][], double[], double[])}) from the bar-start evidence. */
    static int[] barPhases(double[] ev) {
        int n = ev.length;
        // cumulative evidence and counts per phase class
        double[][] cum = new double[4][n + 1];
        int[][] cnt = new int[4][n + 1];
        for (int i = 0; i < n; i++) {
            double e = ev[i];
            for (int p = 0; p < 4; p++) {
                boolean on = i > 0 && i % 4 == p;
                cum[p][i + 1] = cum[p][i] + (on ? e : 0);
                cnt[p][i + 1] = cnt[p][i] + (on ? 1 : 0);
            }
        }
        int[] out = new int[n];
        for (int u = 0; u < n; u++) {
            int a = Math.max(0, u - PHASE_WIN);
            int b = Math.min(n, u + PHASE_WIN + 1);
            int best = 0;
            double bv = -1;
            for (int p = 0; p < 4; p++) {
                int c = cnt[p][b] - cnt[p][a];
                double v = c == 0 ? 0 : (cum[p][b] - cum[p][a]) / c;
                if (v > bv) {
                    bv = v;
                    best = p;
                }
            }
            out[u] = best;
        }
        return out;
    }

    private static double mean(double[] x) {
        double m = 0;
        for (double v : x) {
            m += v;
        }
        return m / Math.max(1, x.length);
    }

    /** Units (beats) after a section start over which its own bar phase is measured: 8 bars of 4/4. */
    static final int SECTION_PHASE_UNITS = 32;
    /** ... and this many before it (the snapped bar line may be up to half a bar before the peak). */
    static final int SECTION_PHASE_LEAD = 2;
    /** The section's own phase replaces the song's when its mean evidence exceeds this many times the song phase's. */
    static final double SECTION_PHASE_RATIO = 1.15;

    /**
     * The bar phase of a section that starts near unit {@code u}: the phase (0–3) whose beats carry
     * the most bar-start evidence ({@link #barEvidence}) from {@value #SECTION_PHASE_LEAD} units before
     * {@code u} to {@value #SECTION_PHASE_UNITS} after it, when its mean evidence there exceeds
     * {@link #SECTION_PHASE_RATIO} times that of {@code songPhase}; else {@code songPhase}. A section
     * starts on its own first bar line: the song's phase ({@link #barPhases}, over ±16 bars) is the
     * old part's up to the boundary, and after a part of 7.5 bars, or a join of two recordings, the
     * new part's bars start elsewhere.
     */
    static int sectionPhase(double[] ev, int u, int songPhase) {
        int a = Math.max(1, u - SECTION_PHASE_LEAD);
        int b = Math.min(ev.length, u + SECTION_PHASE_UNITS);
        double[] sum = new double[4];
        int[] cnt = new int[4];
        for (int i = a; i < b; i++) {
            sum[i % 4] += ev[i];
            cnt[i % 4]++;
        }
        double[] mean = new double[4];
        int best = songPhase;
        for (int p = 0; p < 4; p++) {
            mean[p] = cnt[p] == 0 ? 0 : sum[p] / cnt[p];
        }
        for (int p = 0; p < 4; p++) {
            if (mean[p] > mean[best]) {
                best = p;
            }
        }
        return mean[best] > SECTION_PHASE_RATIO * mean[songPhase] ? best : songPhase;
    }

    static List<Integer> pickPeaks(double[] nov, double[] unitSec, double minSec, double durationSec,
                                   double unitLen, int[] phase, int minUnits) {
        return pickPeaks(nov, unitSec, minSec, durationSec, unitLen, phase, minUnits, null);
    }

    /**
     * @param barEvidence optional bar-start evidence per unit: each peak is snapped to the bar lines
     *                    of the section it starts ({@link #sectionPhase}); null = the song's phase
     */
    static List<Integer> pickPeaks(double[] nov, double[] unitSec, double minSec, double durationSec,
                                   double unitLen, int[] phase, int minUnits, double[] barEvidence) {
        int n = nov.length;
        int w = Math.max(2, (int) Math.round(THR_WIN_SEC / unitLen)); // ±8 s window for the adaptive threshold
        double[] cum = new double[n + 1];
        for (int i = 0; i < n; i++) {
            cum[i + 1] = cum[i] + nov[i];
        }
        int lw = Math.max(1, minUnits / 2);
        List<Integer> cand = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            int a = Math.max(0, i - w);
            int b = Math.min(n, i + w + 1);
            double mean = (cum[b] - cum[a]) / (b - a);
            boolean isMax = true;
            for (int d = -lw; d <= lw && isMax; d++) {
                int u = i + d;
                if (u >= 0 && u < n && u != i && (nov[u] > nov[i] || (nov[u] == nov[i] && u < i))) {
                    isMax = false;
                }
            }
            if (isMax && nov[i] > mean + PEAK_DELTA) {
                cand.add(i);
            }
        }
        cand.sort((x, y) -> Double.compare(nov[y], nov[x]));
        List<Integer> chosen = new ArrayList<>();
        for (int c : cand) {
            int u0 = Math.min(n - 1, c + SHIFT);
            int p = barEvidence == null ? phase[u0] : sectionPhase(barEvidence, u0, phase[u0]);
            int u = snapToBar(u0, p, n);
            double t = unitSec[u];
            if (t < minSec || durationSec - t < minSec) {
                continue;
            }
            boolean ok = true;
            for (int o : chosen) {
                if (Math.abs(unitSec[o] - t) < minSec) {
                    ok = false;
                    break;
                }
            }
            if (ok) {
                chosen.add(u);
            }
        }
        chosen.sort(Integer::compare);
        return chosen;
    }

    static int snapToBar(int u, int phase, int n) {
        int r = Math.floorMod(u - phase, 4);
        int v = r <= 2 ? u - r : u + (4 - r);
        if (r == 2) { // equidistant: stay at the earlier bar line
            v = u - 2;
        }
        return Math.max(1, Math.min(n - 1, v));
    }

    /**
     * Per unit (a beat): the mean onset strength and the mean bass-onset strength over its frames,
     * i.e. how much is struck in the beat, which a drum kit raises while chords and instruments stay.
     * Means over whole beats, not values at positions inside them: a strike that falls on a frame or
     * unit edge then counts the same wherever the beat tracker puts the phase. Z-scored per column
     * over the sounding units; a unit with fewer than half of its frames sounding
     * ({@link ChangePoints#SILENCE_BELOW_DB}; the onset of near-silence is noise) is null.
     */
    static double[][] rhythmProfile(SpectralFeatures f, int[] grid) {
        int n = grid.length - 1;
        double silent = SpectralFeatures.REFERENCE_RMS_DB - ChangePoints.SILENCE_BELOW_DB;
        double[][] r = new double[n][];
        boolean prevSounding = true;
        for (int u = 0; u < n; u++) {
            int a = Math.min(grid[u], f.nFrames - 1);
            int b = Math.min(f.nFrames, Math.max(a + 1, grid[u + 1]));
            int on = 0;
            double o = 0;
            double lo = 0;
            for (int t = a; t < b; t++) {
                if (f.energyDb[t] > silent) {
                    on++;
                }
                o += f.onset[t];
                lo += f.lowOnset[t];
            }
            boolean sounding = 2 * on >= b - a;
            // the unit where the sound begins after silence holds the flux out of silence, not a beat
            // of the rhythm (6 sd above the rest in a drums-only song after 2 s of silence): left out too
            if (sounding && prevSounding) {
                r[u] = new double[] {o / (b - a), lo / (b - a)};
            }
            prevSounding = sounding;
        }
        for (int k = 0; k < RHYTHM_DIMS; k++) {
            double m = 0;
            double sq = 0;
            int cnt = 0;
            for (double[] row : r) {
                if (row != null) {
                    m += row[k];
                    sq += row[k] * row[k];
                    cnt++;
                }
            }
            m /= Math.max(1, cnt);
            double sd = Math.sqrt(Math.max(0, sq / Math.max(1, cnt) - m * m));
            for (double[] row : r) {
                if (row != null) {
                    row[k] = sd > 1e-9 ? (row[k] - m) / sd : 0;
                }
            }
        }
        return r;
    }

    /**
     * Rhythm contrast between segments (unit ranges between successive {@code edges}), on their
     * sounding units ({@link #rhythmProfile}): over the dimensions of the rhythm profile, the mean
     * of (difference of the segment means)² / (mean variance of one-bar (4-unit) block means within
     * the segments + {@link ChangePoints#VAR_FLOOR}), the two-sample statistic of
     * {@link ChangePoints} on the beat grid. 0 for a segment with fewer than 4 sounding units.
     */
    static double[][] rhythmContrast(double[][] r, int[] edges) {
        int k = edges.length - 1;
        double[][] out = new double[k][k];
        int d = RHYTHM_DIMS;
        double[][] mean = new double[k][d];
        double[][] var = new double[k][d];
        boolean[] ok = new boolean[k];
        for (int g = 0; g < k; g++) {
            int a = edges[g];
            int b = Math.min(r.length, edges[g + 1]);
            int cnt = 0;
            for (int u = a; u < b; u++) {
                if (r[u] != null) {
                    cnt++;
                    for (int c = 0; c < d; c++) {
                        mean[g][c] += r[u][c];
                    }
                }
            }
            ok[g] = cnt >= 4;
            if (!ok[g]) {
                continue;
            }
            for (int c = 0; c < d; c++) {
                mean[g][c] /= cnt;
            }
            // blocks of 4 sounding units
            int blocks = 0;
            double[] acc = new double[d];
            int inBlock = 0;
            for (int u = a; u < b; u++) {
                if (r[u] == null) {
                    continue;
                }
                for (int c = 0; c < d; c++) {
                    acc[c] += r[u][c];
                }
                if (++inBlock == 4) {
                    for (int c = 0; c < d; c++) {
                        double bm = acc[c] / 4 - mean[g][c];
                        var[g][c] += bm * bm;
                        acc[c] = 0;
                    }
                    inBlock = 0;
                    blocks++;
                }
            }
            for (int c = 0; c < d; c++) {
                var[g][c] /= blocks;
            }
        }
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++) {
                if (!ok[a] || !ok[b]) {
                    continue;
                }
                double acc = 0;
                for (int c = 0; c < d; c++) {
                    double diff = mean[a][c] - mean[b][c];
                    acc += diff * diff / (0.5 * (var[a][c] + var[b][c]) + ChangePoints.VAR_FLOOR);
                }
                out[a][b] = acc / d;
                out[b][a] = out[a][b];
            }
        }
        return out;
    }

    /** Average-linkage clustering of segments on their best-aligned diagonal similarity. */
    static int[] clusterSegments(double[][] s, int[] edges) {
        return clusterSegments(s, edges, null, 0);
    }

    /**
     * @param differ optional contrast of sound between segments ({@link ChangePoints#segmentContrast});
     *               two segments that clearly sound different (at least {@code differAt}) are never
     *               the same material, however alike their harmony
     */
    static int[] clusterSegments(double[][] s, int[] edges, double[][] differ, double differAt) {
        return clusterSegments(s, edges, differ, differAt, null);
    }

    /**
     * @param rhythm optional beat-level rhythm contrast between segments ({@link #rhythmContrast}):
     *               when every segment of one group is at least {@link #RHYTHM_DIFFER} from every
     *               segment of the other, the two groups are scored without the {@link #SAME_SIM}
     *               rule (a drum kit entering over the same chords and instruments); one pair of
     *               occurrences alike in rhythm keeps the rule, so a difference must hold across
     *               the song's repeats
     */
    static int[] clusterSegments(double[][] s, int[] edges, double[][] differ, double differAt,
                                 double[][] rhythm) {
        return clusterSegments(s, edges, differ, differAt, rhythm, null);
    }

    /**
     * @param sounding optional, per unit, whether it counts in the song's similarity statistics
     *                 (the units {@link #rhythmProfile} keeps): silence before or after the song,
     *                 unlike everything in it, would otherwise make all its parts look alike
     */
    static int[] clusterSegments(double[][] s, int[] edges, double[][] differ, double differAt,
                                 double[][] rhythm, boolean[] sounding) {
        int k = edges.length - 1;
        int n = s.length;
        // global similarity statistics (off the near diagonal, over sounding units)
        double sum = 0;
        double sq = 0;
        long c = 0;
        for (int i = 0; i < n; i++) {
            if (sounding != null && !sounding[i]) {
                continue;
            }
            for (int j = i + 4; j < n; j++) {
                if (sounding != null && !sounding[j]) {
                    continue;
                }
                sum += s[i][j];
                sq += s[i][j] * s[i][j];
                c++;
            }
        }
        double mu = c > 0 ? sum / c : 0;
        double sd = c > 1 ? Math.sqrt(Math.max(1e-12, sq / c - mu * mu)) : 1;
        // sim: the song-relative score with the absolute rule (SAME_SIM); plain: without it
        double[][] sim = new double[k][k];
        double[][] plain = new double[k][k];
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++) {
                double raw = alignedSimilarity(s, edges[a], edges[a + 1], edges[b], edges[b + 1]);
                double v = (raw - mu) / sd;
                double w = raw >= SAME_SIM ? Math.max(v, CLUSTER_Z) : v;
                if (differ != null && differ[a][b] >= differAt) {
                    v = -1e6;
                    w = -1e6;
                }
                sim[a][b] = w;
                sim[b][a] = w;
                plain[a][b] = v;
                plain[b][a] = v;
            }
        }
        // agglomerative, average linkage
        List<List<Integer>> groups = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            List<Integer> g = new ArrayList<>();
            g.add(i);
            groups.add(g);
        }
        while (groups.size() > 1) {
            double best = Double.NEGATIVE_INFINITY;
            int bi = -1;
            int bj = -1;
            for (int i = 0; i < groups.size(); i++) {
                for (int j = i + 1; j < groups.size(); j++) {
                    // every occurrence of one group differs in rhythm from every occurrence of the
                    // other: the absolute rule does not make them one material
                    double minRhythm = Double.POSITIVE_INFINITY;
                    if (rhythm != null) {
                        for (int x : groups.get(i)) {
                            for (int y : groups.get(j)) {
                                minRhythm = Math.min(minRhythm, rhythm[x][y]);
                            }
                        }
                    }
                    double[][] score = rhythm != null && minRhythm >= RHYTHM_DIFFER ? plain : sim;
                    double acc = 0;
                    for (int x : groups.get(i)) {
                        for (int y : groups.get(j)) {
                            acc += score[x][y];
                        }
                    }
                    acc /= groups.get(i).size() * groups.get(j).size();
                    if (acc > best) {
                        best = acc;
                        bi = i;
                        bj = j;
                    }
                }
            }
            if (best < CLUSTER_Z) {
                break;
            }
            groups.get(bi).addAll(groups.remove(bj));
        }
        int[] id = new int[k];
        Arrays.fill(id, -1);
        int next = 0;
        for (int seg = 0; seg < k; seg++) {
            if (id[seg] >= 0) {
                continue;
            }
            for (List<Integer> g : groups) {
                if (g.contains(seg)) {
                    for (int x : g) {
                        id[x] = next;
                    }
                }
            }
            next++;
        }
        return id;
    }

    /** Best mean similarity along a diagonal between two unit ranges, over lags keeping half the shorter one. */
    static double alignedSimilarity(double[][] s, int a0, int a1, int b0, int b1) {
        int la = a1 - a0;
        int lb = b1 - b0;
        int minOverlap = Math.max(1, Math.min(la, lb) / 2);
        double best = Double.NEGATIVE_INFINITY;
        for (int off = -(la - minOverlap); off <= lb - minOverlap; off++) {
            // unit a0+i pairs with b0+off+i
            int i0 = Math.max(0, -off);
            int i1 = Math.min(la, lb - off);
            if (i1 - i0 < minOverlap) {
                continue;
            }
            double acc = 0;
            for (int i = i0; i < i1; i++) {
                acc += s[a0 + i][b0 + off + i];
            }
            best = Math.max(best, acc / (i1 - i0));
        }
        return best == Double.NEGATIVE_INFINITY ? 0 : best;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void normalizeRows(float[][] x) {
        for (float[] r : x) {
            double s = 0;
            for (float v : r) {
                s += v * v;
            }
            double norm = Math.sqrt(s);
            if (norm > 1e-9) {
                for (int i = 0; i < r.length; i++) {
                    r[i] = (float) (r[i] / norm);
                }
            }
        }
    }

    private static void zScoreColumns(float[][] x) {
        if (x.length == 0) {
            return;
        }
        int d = x[0].length;
        for (int c = 0; c < d; c++) {
            double m = 0;
            for (float[] r : x) {
                m += r[c];
            }
            m /= x.length;
            double v = 0;
            for (float[] r : x) {
                v += (r[c] - m) * (r[c] - m);
            }
            double sd = Math.sqrt(v / x.length);
            for (float[] r : x) {
                r[c] = sd > 1e-9 ? (float) ((r[c] - m) / sd) : 0f;
            }
        }
    }

    /**
     * The novelty curves are scaled by their largest value at least this far from either end of the
     * song. At the ends the embedding and the lag windows run out of music and the curves can peak on
     * that alone (in about a sixth of pop909-dev's and real-dev's songs); scaled by such a peak, the
     * whole curve moved with how much lead-in the file happens to have (a quarter second trimmed from
     * the start of pop909-dev's 870 rescaled its novelty by 12 %). No section starts this close to an
     * end anyway (the minimum section length).
     */
    static final double NORMALIZE_EDGE_SEC = 8.0;

    /**
     * Divides {@code x} (one value per unit) by its maximum over the units at least {@code edgeSec}
     * from either end of the song; by its maximum over all units when the song has no such unit or
     * its interior is all zero.
     */
    static void normalizeByInteriorMax(double[] x, double[] unitSec, double edgeSec) {
        double end = unitSec[unitSec.length - 1];
        double mx = 0;
        for (int i = 0; i < x.length; i++) {
            if (unitSec[i] >= edgeSec && unitSec[i] <= end - edgeSec) {
                mx = Math.max(mx, x[i]);
            }
        }
        divideBy(x, mx > 0 ? mx : Arrays.stream(x).max().orElse(0));
    }

    private static void normalizeMax(double[] x) {
        divideBy(x, Arrays.stream(x).max().orElse(0));
    }

    private static void divideBy(double[] x, double mx) {
        if (mx > 0) {
            for (int i = 0; i < x.length; i++) {
                x[i] /= mx;
            }
        }
    }
}
