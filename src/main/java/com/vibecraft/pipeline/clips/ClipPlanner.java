package com.vibecraft.pipeline.clips;

import com.vibecraft.pipeline.analysis.Section;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Cuts a song's sections into clips (SPEC §6): plain Java, immutable and thread-safe.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>Clips never straddle a section boundary and tile each section exactly: the first clip starts at
 *       the section start, each clip starts where the previous one ended, the last ends at the section
 *       end. Section start and end are taken as given (never snapped).</li>
 *   <li>A section of length {@code L} with {@code 0 < L <= max} is one clip (this includes a section
 *       shorter than {@code min}); a degenerate section ({@code end <= start}) has no clip. A longer
 *       section gets exactly {@code n = ceil(L / max)} clips — the fewest that keep every clip
 *       {@code <= max} — so the clip count does not depend on the beats (see {@link #clipCount}).</li>
 *   <li><b>Cut choice ("most even remainder").</b> Walking from the section start, at position
 *       {@code t} with {@code k >= 2} clips still to cut and remainder {@code R = end - t}, the next cut
 *       {@code c} must lie in the window
 *       <pre>  [max(t + min, end - (k-1)·max),  min(t + max, end - (k-1)·min)]</pre>
 *       i.e. this clip is within [min, max] <i>and</i> the rest can still be cut into {@code k-1}
 *       valid clips. (This is the window {@code [t+min, min(t+max, end-min)]} narrowed so that the
 *       clip count stays minimal and every remainder stays plannable.) The target is the even split
 *       {@code t + R/k}. Among the beats inside the window, the one nearest the target is chosen
 *       (ties: the earlier beat), preferring beats whose nearest 1/fps grid point is itself inside
 *       the window; without a beat in the window the target itself is used.</li>
 *   <li><b>Grid.</b> The chosen cut is then snapped to the nearest multiple of {@code 1/fps} that lies
 *       inside the window. So a cut on a beat ends up within half a frame of that beat whenever the
 *       beat's nearest grid point is inside the window (otherwise within one frame). If the window
 *       holds no grid point at all, the unsnapped cut is kept.</li>
 *   <li>{@code numFrames = max(1, round(duration·fps))}. {@code startBeat}/{@code endBeat} are the
 *       indexes (into the given beat list) of the first beat {@code >= start - 1 ms} and the last beat
 *       {@code <= end + 1 ms}; both {@code null} when no beat lies in the clip or there are no beats.</li>
 *   <li>Only if {@code max < 2·min} can a section length be impossible to cut into clips within
 *       [min, max] (e.g. min 3, max 4, length 5). Then the minimum is relaxed for that section: the
 *       window becomes {@code [end - (k-1)·max, t + max]}, so clips still never exceed {@code max} and
 *       still tile the section. With {@code max >= 2·min} (the default 3/6) this never happens.</li>
 * </ul>
 *
 * <h2>Song-wide cap</h2>
 * {@link #planSong} counts the clips first ({@link #countClips}, which is exact and cheap) and throws
 * {@link IllegalArgumentException} when the song needs more than {@code maxClipsPerSong}. Callers that
 * split over sections themselves (the Camel route calls {@link #planSection} per section) should check
 * {@link #fits} / {@link #checkFits} beforehand. With the defaults a 7-minute song needs about
 * 70–80 clips (never more than 420 s / 3 s = 140), well under 256.
 *
 * <p>Beat times must be finite and in non-decreasing order (seconds from the song start); {@code null}
 * or an empty list means "no beats".
 */
public final class ClipPlanner {

    public static final double DEFAULT_MIN_CLIP_SEC = 3.0;
    public static final double DEFAULT_MAX_CLIP_SEC = 6.0;
    public static final int DEFAULT_FPS = 8;
    public static final int DEFAULT_MAX_CLIPS_PER_SONG = 256;

    /** A beat this close outside a clip still counts as inside it for startBeat/endBeat. */
    public static final double BEAT_TOLERANCE_SEC = 0.001;

    /** Floating-point slack for window and count comparisons. */
    private static final double EPS = 1e-9;

    private final double minClipSec;
    private final double maxClipSec;
    private final int fps;
    private final int maxClipsPerSong;

    /** The defaults: clips of 3–6 s at 8 fps, at most 256 clips per song. */
    public ClipPlanner() {
        this(DEFAULT_MIN_CLIP_SEC, DEFAULT_MAX_CLIP_SEC, DEFAULT_FPS, DEFAULT_MAX_CLIPS_PER_SONG);
    }

    public ClipPlanner(double minClipSec, double maxClipSec, int fps, int maxClipsPerSong) {
        if (!Double.isFinite(minClipSec) || minClipSec <= 0) {
            throw new IllegalArgumentException("minClipSec must be a finite number > 0, got " + minClipSec);
        }
        if (!Double.isFinite(maxClipSec) || maxClipSec < minClipSec) {
            throw new IllegalArgumentException(
                    "maxClipSec must be finite and >= minClipSec (" + minClipSec + "), got " + maxClipSec);
        }
        if (fps <= 0) {
            throw new IllegalArgumentException("fps must be > 0, got " + fps);
        }
        if (maxClipsPerSong <= 0) {
            throw new IllegalArgumentException("maxClipsPerSong must be > 0, got " + maxClipsPerSong);
        }
        this.minClipSec = minClipSec;
        this.maxClipSec = maxClipSec;
        this.fps = fps;
        this.maxClipsPerSong = maxClipsPerSong;
    }

    public double minClipSec() {
        return minClipSec;
    }

    public double maxClipSec() {
        return maxClipSec;
    }

    public int fps() {
        return fps;
    }

    public int maxClipsPerSong() {
        return maxClipsPerSong;
    }

    // ------------------------------------------------------------------------------------------------
    // counting and the cap

    /**
     * The number of clips a section of this length gets: 0 when {@code lengthSec <= 0} (or NaN),
     * 1 when it is at most {@code maxClipSec}, else {@code ceil(lengthSec / maxClipSec)}.
     */
    public static int clipCount(double sectionLengthSec, double maxClipSec) {
        if (!(maxClipSec > 0)) {
            throw new IllegalArgumentException("maxClipSec must be > 0, got " + maxClipSec);
        }
        if (!(sectionLengthSec > 0)) {
            return 0;
        }
        if (sectionLengthSec == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("section length must be finite");
        }
        double n = Math.ceil(sectionLengthSec / maxClipSec - EPS);
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("section of " + sectionLengthSec + " s needs too many clips");
        }
        return Math.max(1, (int) n);
    }

    /** Exactly how many clips {@link #planSong} would produce for these sections (beats don't matter). */
    public int countClips(List<Section> sections) {
        Objects.requireNonNull(sections, "sections");
        long total = 0;
        for (Section s : sections) {
            Objects.requireNonNull(s, "section");
            checkBounds(s);
            total += clipCount(s.endSec() - s.startSec(), maxClipSec);
        }
        return (int) Math.min(Integer.MAX_VALUE, total);
    }

    /** Whether the song stays within {@code maxClipsPerSong}. */
    public boolean fits(List<Section> sections) {
        return countClips(sections) <= maxClipsPerSong;
    }

    /** Throws a clear {@link IllegalArgumentException} when the song needs more than {@code maxClipsPerSong} clips. */
    public void checkFits(List<Section> sections) {
        int needed = countClips(sections);
        if (needed > maxClipsPerSong) {
            double duration = 0;
            for (Section s : sections) {
                duration += Math.max(0, s.endSec() - s.startSec());
            }
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "Song needs %d clips (%.1f s of sections, clips of %s-%s s) but the cap is %d clips per song;"
                            + " raise the clips-per-song cap or the maximum clip length",
                    needed, duration, minClipSec, maxClipSec, maxClipsPerSong));
        }
    }

    // ------------------------------------------------------------------------------------------------
    // planning

    /**
     * All clips of the song: each section in the given order, cut by {@link #planSection}.
     *
     * @throws IllegalArgumentException when the song needs more than {@code maxClipsPerSong} clips
     *                                  (checked before any cutting), or on invalid input
     */
    public List<PlannedClip> planSong(List<Section> sections, List<Double> beatTimes) {
        Objects.requireNonNull(sections, "sections");
        checkFits(sections);
        double[] beats = beatArray(beatTimes);
        List<PlannedClip> clips = new ArrayList<>();
        for (Section s : sections) {
            plan(s, beats, clips);
        }
        return Collections.unmodifiableList(clips);
    }

    /** The clips of one section (no song-wide cap here; see {@link #checkFits}). */
    public List<PlannedClip> planSection(Section section, List<Double> beatTimes) {
        List<PlannedClip> clips = new ArrayList<>();
        plan(section, beatArray(beatTimes), clips);
        return Collections.unmodifiableList(clips);
    }

    private void plan(Section section, double[] beats, List<PlannedClip> out) {
        Objects.requireNonNull(section, "section");
        checkBounds(section);
        double start = section.startSec();
        double end = section.endSec();
        int remaining = clipCount(end - start, maxClipSec);
        if (remaining == 0) {
            return;
        }
        double t = start;
        while (remaining > 1) {
            double cut = chooseCut(t, end, remaining, beats);
            out.add(clip(section.id(), t, cut, beats));
            t = cut;
            remaining--;
        }
        out.add(clip(section.id(), t, end, beats));
    }

    /** The next cut after {@code t} when {@code k >= 2} clips remain to be cut from {@code [t, end]}. */
    private double chooseCut(double t, double end, int k, double[] beats) {
        double lo = Math.max(t + minClipSec, end - (k - 1) * maxClipSec);
        double hi = Math.min(t + maxClipSec, end - (k - 1) * minClipSec);
        if (lo > hi) {
            if (lo - hi <= EPS) {
                lo = hi = (lo + hi) / 2; // a single-point window blurred by rounding
            } else {
                // only possible with max < 2·min: relax the minimum, keep the maximum
                lo = end - (k - 1) * maxClipSec;
                hi = t + maxClipSec;
            }
        }
        double target = Math.min(hi, Math.max(lo, t + (end - t) / k));

        double cut = target;
        double bestSnapping = Double.NaN;
        double bestAny = Double.NaN;
        int from = lowerBound(beats, lo - EPS);
        for (int i = from; i < beats.length && beats[i] <= hi + EPS; i++) {
            double b = beats[i];
            if (Double.isNaN(bestAny) || Math.abs(b - target) < Math.abs(bestAny - target)) {
                bestAny = b;
            }
            if (inside(nearestGrid(b), lo, hi)
                    && (Double.isNaN(bestSnapping) || Math.abs(b - target) < Math.abs(bestSnapping - target))) {
                bestSnapping = b;
            }
        }
        if (!Double.isNaN(bestSnapping)) {
            cut = bestSnapping;
        } else if (!Double.isNaN(bestAny)) {
            cut = bestAny;
        }
        double snapped = snapInside(cut, lo, hi);
        // never leave the section's interior because of rounding slack
        return snapped > t && snapped < end ? snapped : cut;
    }

    private double nearestGrid(double x) {
        return Math.round(x * fps) / (double) fps;
    }

    private static boolean inside(double x, double lo, double hi) {
        return x >= lo - EPS && x <= hi + EPS;
    }

    /** The grid point inside [lo, hi] nearest to x (x itself inside), or x when the window holds none. */
    private double snapInside(double x, double lo, double hi) {
        double g = nearestGrid(x);
        if (inside(g, lo, hi)) {
            return g;
        }
        double gLo = Math.ceil(lo * fps - EPS) / fps;
        double gHi = Math.floor(hi * fps + EPS) / fps;
        if (gLo > gHi + EPS) {
            return x;
        }
        return Math.abs(gLo - x) <= Math.abs(gHi - x) ? gLo : gHi;
    }

    private PlannedClip clip(String sectionId, double from, double to, double[] beats) {
        Integer startBeat = null;
        Integer endBeat = null;
        int first = lowerBound(beats, from - BEAT_TOLERANCE_SEC);
        int last = upperBound(beats, to + BEAT_TOLERANCE_SEC) - 1;
        if (first <= last) {
            startBeat = first;
            endBeat = last;
        }
        int frames = (int) Math.max(1, Math.round((to - from) * fps));
        return new PlannedClip(sectionId, from, to, startBeat, endBeat, fps, frames);
    }

    // ------------------------------------------------------------------------------------------------
    // helpers

    private static void checkBounds(Section s) {
        if (!Double.isFinite(s.startSec()) || !Double.isFinite(s.endSec())) {
            throw new IllegalArgumentException(
                    "section " + s.id() + " has a non-finite bound: " + s.startSec() + ".." + s.endSec());
        }
    }

    private static double[] beatArray(List<Double> beatTimes) {
        if (beatTimes == null || beatTimes.isEmpty()) {
            return new double[0];
        }
        double[] beats = new double[beatTimes.size()];
        for (int i = 0; i < beats.length; i++) {
            Double b = beatTimes.get(i);
            if (b == null || !Double.isFinite(b)) {
                throw new IllegalArgumentException("beat " + i + " is not a finite time: " + b);
            }
            if (i > 0 && b < beats[i - 1]) {
                throw new IllegalArgumentException(
                        "beat times must be in non-decreasing order: beat " + i + " = " + b + " < " + beats[i - 1]);
            }
            beats[i] = b;
        }
        return beats;
    }

    /** First index with beats[i] >= x. */
    private static int lowerBound(double[] beats, double x) {
        int lo = 0;
        int hi = beats.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (beats[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** First index with beats[i] > x. */
    private static int upperBound(double[] beats, double x) {
        int lo = 0;
        int hi = beats.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (beats[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
