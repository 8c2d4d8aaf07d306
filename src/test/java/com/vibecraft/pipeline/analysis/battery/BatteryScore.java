package com.vibecraft.pipeline.analysis.battery;

import com.vibecraft.pipeline.analysis.RawSegment;

import java.util.List;

/**
 * How one detector output compares with a {@link BatterySong}'s truth.
 *
 * <p>Boundaries: the estimated inner boundaries (segment starts after the first) are matched
 * one-to-one to the truth within a tolerance (in time order, each truth boundary takes the
 * earliest unmatched estimate within the tolerance, which maximises the number of matches on a
 * line); hits, misses (truth without a match) and false alarms (estimates without a match) at
 * ±0.5 s and ±3 s.
 *
 * <p>Repetition groups: each truth segment gets the detector label that covers most of it; for
 * every pair of truth segments, equal letters should have equal labels and different letters
 * different labels. {@code pairsRight / pairs} is the share of pairs right.
 *
 * @param est        estimated inner boundaries, seconds
 * @param hits05     truth boundaries matched within ±0.5 s
 * @param hits3      truth boundaries matched within ±3 s
 * @param offsets    per truth boundary: signed distance (estimate − truth, s) to the nearest
 *                   estimate, NaN when there is none
 * @param labels     per truth segment: the detector label covering most of it
 */
public record BatteryScore(int truthCount, double[] est, int hits05, int hits3, double[] offsets, int[] labels,
                           int pairs, int pairsRight) {

    public static final double TOL_FINE = 0.5;
    public static final double TOL_COARSE = 3.0;

    public static BatteryScore of(BatterySong song, List<RawSegment> segments) {
        double[] est = new double[Math.max(0, segments.size() - 1)];
        for (int i = 1; i < segments.size(); i++) {
            est[i - 1] = segments.get(i).startMs() / 1000.0;
        }
        double[] truth = song.truth();
        double[] offsets = new double[truth.length];
        for (int j = 0; j < truth.length; j++) {
            double best = Double.NaN;
            for (double e : est) {
                if (Double.isNaN(best) || Math.abs(e - truth[j]) < Math.abs(best)) {
                    best = e - truth[j];
                }
            }
            offsets[j] = best;
        }
        // labels of truth segments
        int nSeg = truth.length + 1;
        int[] labels = new int[nSeg];
        for (int k = 0; k < nSeg; k++) {
            double a = k == 0 ? 0 : truth[k - 1];
            double b = k == truth.length ? song.durationSec() : truth[k];
            double bestOverlap = -1;
            int bestLabel = -1;
            for (RawSegment s : segments) {
                double ov = Math.min(b, s.endMs() / 1000.0) - Math.max(a, s.startMs() / 1000.0);
                if (ov > bestOverlap) {
                    bestOverlap = ov;
                    bestLabel = s.label();
                }
            }
            labels[k] = bestLabel;
        }
        int pairs = 0;
        int right = 0;
        String letters = song.letters();
        for (int i = 0; i < nSeg; i++) {
            for (int j = i + 1; j < nSeg; j++) {
                pairs++;
                boolean same = letters.charAt(i) == letters.charAt(j);
                if (same == (labels[i] == labels[j])) {
                    right++;
                }
            }
        }
        return new BatteryScore(truth.length, est, matches(truth, est, TOL_FINE), matches(truth, est, TOL_COARSE),
                offsets, labels, pairs, right);
    }

    /** One-to-one matches within {@code tol}; both arrays ascending. */
    public static int matches(double[] truth, double[] est, double tol) {
        boolean[] used = new boolean[est.length];
        int hits = 0;
        for (double t : truth) {
            for (int i = 0; i < est.length; i++) {
                if (!used[i] && Math.abs(est[i] - t) <= tol) {
                    used[i] = true;
                    hits++;
                    break;
                }
            }
        }
        return hits;
    }

    /** F-measure of {@code est} against {@code ref} within {@code tol} (1 when both are empty). */
    public static double fMeasure(double[] ref, double[] est, double tol) {
        if (ref.length == 0 && est.length == 0) {
            return 1;
        }
        if (ref.length == 0 || est.length == 0) {
            return 0;
        }
        int h = matches(ref, est, tol);
        double p = h / (double) est.length;
        double r = h / (double) ref.length;
        return p + r > 0 ? 2 * p * r / (p + r) : 0;
    }

    public int misses05() {
        return truthCount - hits05;
    }

    public int falseAlarms05() {
        return est.length - hits05;
    }

    public int falseAlarms3() {
        return est.length - hits3;
    }

    /** Every truth boundary hit within ±0.5 s and no false alarm. */
    public boolean perfect() {
        return hits05 == truthCount && est.length == truthCount;
    }

    /** Letters of the detector labels per truth segment (first label seen = A), for the report. */
    public String labelLetters() {
        StringBuilder sb = new StringBuilder();
        java.util.List<Integer> seen = new java.util.ArrayList<>();
        for (int l : labels) {
            int k = seen.indexOf(l);
            if (k < 0) {
                seen.add(l);
                k = seen.size() - 1;
            }
            sb.append((char) ('a' + k));
        }
        return sb.toString();
    }
}
