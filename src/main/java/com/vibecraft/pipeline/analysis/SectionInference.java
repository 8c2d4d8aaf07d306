package com.vibecraft.pipeline.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Names raw segments (SPEC §4): clusters labels, picks a chorus and verses, gives every segment a
 * soft type by its position, merges neighbours of the same soft type and numbers display names.
 *
 * <p>Decisions where SPEC §4 leaves room (all deliberate, covered by tests):
 * <ul>
 *   <li>Input segments are sorted by start (stable: equal starts keep input order). Segments
 *       that are zero-length after step 1 ({@code end == start}, including {@code endMs <= startMs}
 *       and segments entirely before 0) are dropped <em>before</em> clustering: they would give
 *       empty sections and must not count as an occurrence of their label. If nothing is left
 *       the result is empty.</li>
 *   <li>A label joins a cluster when {@code label − representative <= clusterDistance}
 *       ("within 50" includes exactly 50).</li>
 *   <li>A cluster's mean energy is the plain (unweighted) mean of its segments' energies; its
 *       total duration is the sum of its segments' durations.</li>
 *   <li>"First on ties" for the chorus means first in cluster order, i.e. ascending
 *       representative label (the order step 2 creates clusters in).</li>
 *   <li>The early-chorus penalty applies when the cluster's first start is strictly below the
 *       window. Note that with the SPEC weights the best candidate always scores at least 0.3:
 *       the candidate with most occurrences gets 0.5 before the 0.2 penalty; if all occurrences
 *       are equal everyone gets 0.25 from them and the best of {@code 0.2·dur + 0.3·energy} is
 *       at least 0.25 (0.1 + 0.15 when all equal, else someone holds a normalised 1). So the
 *       0.15 threshold never rejects: a chorus is missing exactly when no cluster occurs twice.
 *       The threshold is kept as written in case the weights change.</li>
 *   <li>Energies must be finite (an {@link IllegalArgumentException} otherwise), since a NaN would
 *       silently poison the min–max normalisation.</li>
 *   <li>Merged section: id, rawLabel and repetitionGroup of the first part; confidence is the mean
 *       of the parts rounded to 3 decimals (also applied to unmerged sections); energy is the
 *       duration-weighted mean of the parts' energies (not rounded).</li>
 *   <li>{@code id} is {@code "s" + k} where {@code k} is the index of the section's first raw
 *       segment in time order (after dropping zero-length segments), so ids are stable for one
 *       song but not contiguous after merging.</li>
 *   <li>{@code repetitionGroup}: clusters are numbered 0, 1, 2 … in order of their first
 *       appearance in time among all (pre-merge) segments. A merge can therefore leave a gap in
 *       the groups visible in the output (e.g. two adjacent verse clusters merged into one).</li>
 *   <li>{@code other} sections are lettered A … Z, then AA, AB … (spreadsheet style).</li>
 * </ul>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SectionInference {

    /** SPEC §4 step 2: labels within this distance of a cluster's representative join it. */
    public static final int DEFAULT_CLUSTER_DISTANCE = 50;
    /** SPEC §4 step 4: a chorus cluster first starting before this many seconds is penalised. */
    public static final double DEFAULT_EARLY_CHORUS_WINDOW_SEC = 8.0;

    static final double W_OCCURRENCES = 0.5;
    static final double W_DURATION = 0.2;
    static final double W_ENERGY = 0.3;
    static final double EARLY_PENALTY = 0.2;
    static final double CHORUS_THRESHOLD = 0.15;

    static final String CHORUS_LIKE = "chorus_like";
    static final String VERSE_LIKE = "verse_like";
    static final String INTRO_LIKE = "intro_like";
    static final String OUTRO_LIKE = "outro_like";
    static final String BRIDGE_LIKE = "bridge_like";
    static final String OTHER = "other";

    private final int clusterDistance;
    private final double earlyChorusWindowSec;
    /** Names the local detector's segments when set ({@link #infer(List, double[], boolean)}). */
    private final SectionTypeModel typeModel;

    /** SPEC defaults: cluster distance 50, early-chorus window 8 s. */
    public SectionInference() {
        this(DEFAULT_CLUSTER_DISTANCE, DEFAULT_EARLY_CHORUS_WINDOW_SEC);
    }

    /**
     * @param clusterDistance      max label distance to a cluster's representative (≥ 0)
     * @param earlyChorusWindowSec chorus candidates first starting before this get −0.2 (≥ 0)
     */
    public SectionInference(int clusterDistance, double earlyChorusWindowSec) {
        this(clusterDistance, earlyChorusWindowSec, null);
    }

    /** SPEC defaults for Audjust input; the local detector's segments are named by {@code typeModel}. */
    public SectionInference(SectionTypeModel typeModel) {
        this(DEFAULT_CLUSTER_DISTANCE, DEFAULT_EARLY_CHORUS_WINDOW_SEC, typeModel);
    }

    /**
     * @param typeModel optional learned namer of the local detector's segments; null = SPEC §4 rules
     *                  everywhere
     */
    public SectionInference(int clusterDistance, double earlyChorusWindowSec, SectionTypeModel typeModel) {
        if (clusterDistance < 0) {
            throw new IllegalArgumentException("clusterDistance must be >= 0: " + clusterDistance);
        }
        if (!(earlyChorusWindowSec >= 0) || Double.isInfinite(earlyChorusWindowSec)) {
            throw new IllegalArgumentException("earlyChorusWindowSec must be finite and >= 0: " + earlyChorusWindowSec);
        }
        this.clusterDistance = clusterDistance;
        this.earlyChorusWindowSec = earlyChorusWindowSec;
        this.typeModel = typeModel;
    }

    /** The learned namer of local segments, or null. */
    public SectionTypeModel typeModel() {
        return typeModel;
    }

    public int clusterDistance() {
        return clusterDistance;
    }

    public double earlyChorusWindowSec() {
        return earlyChorusWindowSec;
    }

    /** One raw segment after step 1, with its energy and (later) its cluster and soft type. */
    private static final class Seg {
        final double start;
        final double end;
        final int label;
        final double energy;
        int cluster;
        String soft;
        double confidence;

        Seg(double start, double end, int label, double energy) {
            this.start = start;
            this.end = end;
            this.label = label;
            this.energy = energy;
        }

        double duration() {
            return end - start;
        }
    }

    /** Per-cluster statistics (step 3). */
    private static final class Cluster {
        final int representative;
        int occurrences;
        double totalDuration;
        double energySum;
        double firstStart = Double.POSITIVE_INFINITY;

        Cluster(int representative) {
            this.representative = representative;
        }

        double meanEnergy() {
            return energySum / occurrences;
        }
    }

    /**
     * Infers named sections.
     *
     * @param segments raw segments in any order
     * @param energies mean energy of each segment, same order and length as {@code segments}
     * @return sections in time order, {@code index} 0-based; empty for empty input
     * @throws IllegalArgumentException if the lengths differ or an energy is not finite
     */
    public List<Section> infer(List<RawSegment> segments, double[] energies) {
        return infer(segments, energies, false);
    }

    /**
     * As {@link #infer(List, double[])}; for the segments of the local detector ({@code local}),
     * step 6 is the learned {@link SectionTypeModel} when one is set, and step 7 merges nothing:
     * the local detector places a boundary only where it hears the music change or a part begin
     * again, so every segment stays a section, also two neighbours of one name (two verses in a
     * row) or of one material. Merging those once joined six repeats of one part of a long track
     * into a 235-s section.
     */
    public List<Section> infer(List<RawSegment> segments, double[] energies, boolean local) {
        Objects.requireNonNull(segments, "segments");
        Objects.requireNonNull(energies, "energies");
        if (energies.length != segments.size()) {
            throw new IllegalArgumentException("energies has " + energies.length
                    + " values but there are " + segments.size() + " segments");
        }

        // Step 1: seconds; drop zero-length segments; sort by start (stable).
        List<Seg> segs = new ArrayList<>(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            RawSegment r = Objects.requireNonNull(segments.get(i), "segment " + i);
            if (!Double.isFinite(energies[i])) {
                throw new IllegalArgumentException("energy of segment " + i + " is not finite: " + energies[i]);
            }
            double start = Math.max(0.0, r.startMs() / 1000.0);
            double end = Math.max(start, r.endMs() / 1000.0);
            if (end > start) {
                segs.add(new Seg(start, end, r.label(), energies[i]));
            }
        }
        if (segs.isEmpty()) {
            return List.of();
        }
        segs.sort(Comparator.comparingDouble(s -> s.start));
        double songLength = 0;
        for (Seg s : segs) {
            songLength = Math.max(songLength, s.end);
        }

        // Step 2: cluster distinct labels ascending against each cluster's lowest label.
        List<Cluster> clusters = new ArrayList<>();
        Map<Integer, Integer> clusterOfLabel = new HashMap<>();
        TreeSet<Integer> labels = new TreeSet<>();
        for (Seg s : segs) {
            labels.add(s.label);
        }
        for (int label : labels) {
            int found = -1;
            for (int c = 0; c < clusters.size(); c++) {
                if ((long) label - clusters.get(c).representative <= clusterDistance) {
                    found = c;
                    break;
                }
            }
            if (found < 0) {
                clusters.add(new Cluster(label));
                found = clusters.size() - 1;
            }
            clusterOfLabel.put(label, found);
        }

        // Step 3: per-cluster stats.
        for (Seg s : segs) {
            s.cluster = clusterOfLabel.get(s.label);
            Cluster c = clusters.get(s.cluster);
            c.occurrences++;
            c.totalDuration += s.duration();
            c.energySum += s.energy;
            c.firstStart = Math.min(c.firstStart, s.start);
        }

        // Step 4: chorus.
        List<Integer> candidates = new ArrayList<>();
        for (int c = 0; c < clusters.size(); c++) {
            if (clusters.get(c).occurrences >= 2) {
                candidates.add(c);
            }
        }
        int chorus = -1;
        if (!candidates.isEmpty()) {
            double[] occ = new double[candidates.size()];
            double[] dur = new double[candidates.size()];
            double[] en = new double[candidates.size()];
            for (int k = 0; k < candidates.size(); k++) {
                Cluster c = clusters.get(candidates.get(k));
                occ[k] = c.occurrences;
                dur[k] = c.totalDuration;
                en[k] = c.meanEnergy();
            }
            double[] occN = minMax(occ);
            double[] durN = minMax(dur);
            double[] enN = minMax(en);
            double bestScore = Double.NEGATIVE_INFINITY;
            int best = -1;
            for (int k = 0; k < candidates.size(); k++) {
                Cluster c = clusters.get(candidates.get(k));
                double score = W_OCCURRENCES * occN[k] + W_DURATION * durN[k] + W_ENERGY * enN[k]
                        - (c.firstStart < earlyChorusWindowSec ? EARLY_PENALTY : 0.0);
                if (score > bestScore) { // strict: first on ties
                    bestScore = score;
                    best = candidates.get(k);
                }
            }
            if (bestScore > CHORUS_THRESHOLD) {
                chorus = best;
            }
        }

        // Step 5: verses = every other repeated cluster.
        boolean[] verse = new boolean[clusters.size()];
        for (int c : candidates) {
            verse[c] = c != chorus;
        }

        // Step 6: soft types by centre position.
        for (Seg s : segs) {
            double p = ((s.start + s.end) / 2.0) / songLength;
            if (s.cluster == chorus) {
                s.soft = CHORUS_LIKE;
                s.confidence = 0.7;
            } else if (verse[s.cluster]) {
                s.soft = VERSE_LIKE;
                s.confidence = 0.6;
            } else if (p < 0.15) {
                s.soft = INTRO_LIKE;
                s.confidence = 0.6;
            } else if (p > 0.85) {
                s.soft = OUTRO_LIKE;
                s.confidence = 0.6;
            } else if (p > 0.35 && p < 0.75 && clusters.get(s.cluster).occurrences == 1) {
                s.soft = BRIDGE_LIKE;
                s.confidence = 0.5;
            } else {
                s.soft = OTHER;
                s.confidence = 0.4;
            }
        }

        if (local && typeModel != null) {
            // the local detector's segments: the learned namer replaces step 6
            int k = segs.size();
            double[] st = new double[k];
            double[] en = new double[k];
            int[] cl = new int[k];
            double[] e = new double[k];
            for (int i = 0; i < k; i++) {
                Seg sg = segs.get(i);
                st[i] = sg.start;
                en[i] = sg.end;
                cl[i] = sg.cluster;
                e[i] = sg.energy;
            }
            SectionTypeModel.Typing typing = typeModel.type(st, en, cl, e);
            for (int i = 0; i < k; i++) {
                segs.get(i).soft = SectionTypeModel.TYPES.get(typing.types()[i]) + "_like";
                segs.get(i).confidence = typing.confidence()[i];
            }
        }

        // repetitionGroup: clusters numbered by first appearance in time.
        int[] group = new int[clusters.size()];
        Arrays.fill(group, -1);
        int nextGroup = 0;
        for (Seg s : segs) {
            if (group[s.cluster] < 0) {
                group[s.cluster] = nextGroup++;
            }
        }

        // Steps 7–9: merge runs of the same soft type (not the local detector's segments), name, build output.
        List<Section> out = new ArrayList<>();
        Map<String, Integer> counters = new HashMap<>();
        int i = 0;
        while (i < segs.size()) {
            int j = i;
            while (!local && j + 1 < segs.size() && segs.get(j + 1).soft.equals(segs.get(i).soft)) {
                j++;
            }
            Seg first = segs.get(i);
            double end = first.end;
            double confSum = 0;
            double weightedEnergy = 0;
            double totalDur = 0;
            double energySum = 0;
            for (int k = i; k <= j; k++) {
                Seg s = segs.get(k);
                end = s.end; // end of the last (SPEC §4.7)
                confSum += s.confidence;
                weightedEnergy += s.energy * s.duration();
                totalDur += s.duration();
                energySum += s.energy;
            }
            int parts = j - i + 1;
            double energy = totalDur > 0 ? weightedEnergy / totalDur : energySum / parts;
            double confidence = Math.round(confSum / parts * 1000.0) / 1000.0;
            String soft = first.soft;
            String type = soft.endsWith("_like") ? soft.substring(0, soft.length() - "_like".length()) : soft;
            int n = counters.merge(type, 1, Integer::sum);
            out.add(new Section("s" + i, out.size(), type, soft, displayName(type, n), first.label,
                    group[first.cluster], first.start, end, confidence, energy));
            i = j + 1;
        }
        return List.copyOf(out);
    }

    /** Min–max normalisation; all equal → 0.5 each. */
    static double[] minMax(double[] v) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        double[] out = new double[v.length];
        for (int k = 0; k < v.length; k++) {
            out[k] = max > min ? (v[k] - min) / (max - min) : 0.5;
        }
        return out;
    }

    /** Step 8: {@code n} is the 1-based count of this type so far. */
    static String displayName(String type, int n) {
        return switch (type) {
            case "chorus" -> "Chorus " + n;
            case "verse" -> "Verse " + n;
            case "intro" -> n == 1 ? "Intro" : "Intro " + n;
            case "outro" -> n == 1 ? "Outro" : "Outro " + n;
            case "bridge" -> n == 1 ? "Bridge" : "Bridge " + n;
            default -> "Section " + letters(n);
        };
    }

    /** 1 → A, 26 → Z, 27 → AA, 28 → AB … */
    static String letters(int n) {
        StringBuilder sb = new StringBuilder();
        while (n > 0) {
            n--;
            sb.append((char) ('A' + n % 26));
            n /= 26;
        }
        return sb.reverse().toString();
    }
}
