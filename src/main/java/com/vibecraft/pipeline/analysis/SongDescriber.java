package com.vibecraft.pipeline.analysis;

import com.vibecraft.pipeline.analysis.detector.KeyDetector;
import com.vibecraft.pipeline.analysis.detector.KeyDetector.MusicalKey;
import com.vibecraft.pipeline.analysis.detector.SoundMeasures;
import com.vibecraft.pipeline.analysis.detector.SpectralFeatures;
import java.util.ArrayList;
import java.util.List;

/**
 * Describes a song beyond its sections, from the features the local detector computed anyway: its key
 * ({@link KeyDetector}), mood ({@link MoodRules}) and a heuristic genre ({@link GenreRules}); and each
 * section's key, energy level and mood tags. Runs whoever found the sections (local detector or Audjust).
 *
 * <p>A section gets a key of its own only when it clearly modulates: it lasts at least
 * {@value #SECTION_KEY_MIN_SEC} s and its best key beats the song's key on that section by at least
 * {@value #SECTION_KEY_LEAD} of a clear lead, and that key has other notes than the song's (a section on
 * the relative minor or major is not a modulation); otherwise short stretches would flip between
 * neighbouring keys on a chord or two.
 *
 * <p>Immutable and thread-safe.
 */
public final class SongDescriber {

    static final double SECTION_KEY_MIN_SEC = 12.0;
    static final double SECTION_KEY_LEAD = 1.5;

    private final KeyDetector keys;
    private final KeyDetector sectionKeys;

    public SongDescriber(KeyDetector keys) {
        this.keys = keys;
        this.sectionKeys = keys.withoutEnding();
    }

    /** With the key profiles shipped in the jar. */
    public static SongDescriber bundled() {
        return new SongDescriber(KeyDetector.bundled());
    }

    /** The song's key (null when nothing sounds), mood and genre, and its sections described. */
    public record Description(SongKey key, Mood mood, Genre genre, List<Section> sections) {
    }

    /**
     * @param features  the song's features; null for audio without samples
     * @param beatTimes the song's beats, seconds
     * @param sections  the named sections, in order
     */
    public Description describe(SpectralFeatures features, List<Double> beatTimes, double bpm, List<Section> sections) {
        if (features == null || features.nFrames == 0) {
            Mood mood = MoodRules.of(SoundMeasures.SILENCE, bpm, 0);
            List<Section> described = new ArrayList<>();
            for (Section s : sections) {
                described.add(s.described(null, mood.energy(), mood.tags()));
            }
            return new Description(null, mood, GenreRules.of(SoundMeasures.SILENCE, bpm), described);
        }
        double[] beats = beatTimes.stream().mapToDouble(Double::doubleValue).toArray();
        double duration = features.nFrames / features.frameRate;
        double[][] summary = KeyDetector.summary(features, 0, duration);
        MusicalKey songKey = summary == null ? null : keys.detect(summary);
        SoundMeasures song = SoundMeasures.of(features, beats, 0, duration);
        Mood mood = MoodRules.of(song, bpm, summary == null ? 0 : keys.majorLean(summary));
        List<Section> described = new ArrayList<>(sections.size());
        for (Section s : sections) {
            double[][] part = KeyDetector.summary(features, s.startSec(), s.endSec());
            SoundMeasures m = SoundMeasures.of(features, beats, s.startSec(), s.endSec());
            Mood own = MoodRules.of(m, bpm, part == null ? 0 : sectionKeys.majorLean(part));
            described.add(s.described(part == null ? null : sectionKey(songKey, part, s), own.energy(), own.tags()));
        }
        return new Description(songKey == null ? null : toSongKey(songKey), mood, GenreRules.of(song, bpm), described);
    }

    private String sectionKey(MusicalKey songKey, double[][] part, Section s) {
        MusicalKey own = sectionKeys.detect(part);
        if (songKey == null) {
            return own.name();
        }
        boolean longEnough = s.endSec() - s.startSec() >= SECTION_KEY_MIN_SEC;
        // a verse on the relative minor uses the song's notes: the same key signature, no modulation
        boolean sameNotes = own.minor() != songKey.minor()
                && Math.floorMod(own.tonic() - songKey.tonic(), 12) == (own.minor() ? 9 : 3);
        double lead = (sectionKeys.score(part, own) - sectionKeys.score(part, songKey)) / KeyDetector.CLEAR_LEAD;
        return longEnough && !sameNotes && lead >= SECTION_KEY_LEAD ? own.name() : songKey.name();
    }

    public static SongKey toSongKey(MusicalKey k) {
        return new SongKey(k.name(), KeyDetector.TONICS[k.tonic()], k.minor() ? "minor" : "major", k.confidence());
    }
}
