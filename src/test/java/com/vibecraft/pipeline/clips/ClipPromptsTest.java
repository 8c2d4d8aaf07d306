package com.vibecraft.pipeline.clips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.vibecraft.pipeline.analysis.Genre;
import com.vibecraft.pipeline.analysis.Mood;
import com.vibecraft.pipeline.analysis.Section;
import com.vibecraft.pipeline.analysis.SongAnalysis;
import com.vibecraft.pipeline.analysis.SongKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClipPromptsTest {

    static final Section VERSE = new Section("s0", 0, "verse", "verse", "Verse 1", 0, 0, 0, 20, 1, 0.1)
            .described("A minor", 0.31, List.of("melancholic", "calm"));
    static final Section CHORUS = new Section("s1", 1, "chorus", "chorus", "Chorus 1", 100, 1, 20, 40, 1, 0.3)
            .described("B minor", 0.74, List.of("energetic"));

    static SongAnalysis song(SongKey key, Mood mood, Genre genre) {
        return new SongAnalysis(null, 40, 121.4, List.of(), List.of(VERSE, CHORUS), "local", null, key, mood, genre);
    }

    @Test
    void everyPlaceholderIsFilledFromTheSectionAndTheSong() {
        ClipPrompts prompts = new ClipPrompts("{displayName}|{type}|{energy}|{energyLevel}|{bpm}|{key}|{mood}|{moodTags}|{genre}");
        SongAnalysis a = song(new SongKey("A minor", "A", "minor", 0.4),
                new Mood(0.5, 0.3, 0.6, 0.4, List.of("melancholic", "danceable")),
                new Genre("pop", 0.3, List.of(new Genre.GenreGuess("rock", 0.2))));
        assertEquals("Verse 1|verse|0.100|low|121|A minor|melancholic, danceable|melancholic, calm|pop",
                prompts.prompt(VERSE, a));
        // a modulating section names its own key
        assertEquals("Chorus 1|chorus|0.300|high|121|B minor|melancholic, danceable|energetic|pop",
                prompts.prompt(CHORUS, a));
    }

    @Test
    void theDefaultTemplateReadsAsASentence() {
        ClipPrompts prompts = new ClipPrompts("{displayName} of the {genre} song in {key} at {bpm} BPM, {mood}: a "
                + "{energyLevel}-energy {type} section that feels {moodTags}. Cinematic music video shot.");
        SongAnalysis a = song(new SongKey("A minor", "A", "minor", 0.4), new Mood(0.5, 0.3, 0.6, 0.4, List.of("dark")),
                new Genre("rock", 0.4, List.of()));
        assertEquals("Chorus 1 of the rock song in B minor at 121 BPM, dark: a high-energy chorus section that feels "
                + "energetic. Cinematic music video shot.", prompts.prompt(CHORUS, a));
    }

    @Test
    void anAnalysisWithoutKeyMoodOrGenreLeavesThemOut() {
        ClipPrompts prompts = new ClipPrompts("{displayName} of a {genre} song, {mood}: {type} ({moodTags}).");
        Section bare = new Section("s0", 0, "verse", "verse", "Verse 1", 0, 0, 0, 20, 1, 0.1);
        SongAnalysis old = new SongAnalysis(null, 20, 120, List.of(), List.of(bare), "local", null, null, null, null);
        assertEquals("Verse 1 of a song: verse ().", prompts.prompt(bare, old));
    }

    @Test
    void anEmptyTemplateIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ClipPrompts(" "));
    }
}
