package com.vibecraft.pipeline.clips;

import com.vibecraft.pipeline.analysis.Section;
import com.vibecraft.pipeline.analysis.SongAnalysis;
import java.util.List;
import java.util.Locale;

/**
 * Fills the prompt template for a section. Placeholders: {@code {displayName}}, {@code {type}},
 * {@code {energy}} (the section's RMS, 3 decimals), {@code {energyLevel}} (low/medium/high relative to
 * the song's other sections), {@code {bpm}} (rounded), {@code {key}} (the section's key, e.g.
 * "A minor"), {@code {mood}} (the song's mood tags, e.g. "energetic, danceable"), {@code {moodTags}}
 * (the section's own mood tags) and {@code {genre}} (the song's primary genre). A value the analysis
 * does not have (one stored before keys and moods were computed, or silence) is left out, and the
 * spaces around it closed up.
 */
public class ClipPrompts {

    private final String template;

    public ClipPrompts(String template) {
        if (template == null || template.isBlank()) {
            throw new IllegalArgumentException("the clip prompt template must not be empty");
        }
        this.template = template;
    }

    public String prompt(Section section, SongAnalysis song) {
        String key = section.key() != null ? section.key() : song.key() != null ? song.key().name() : "";
        String filled = template
                .replace("{displayName}", section.displayName())
                .replace("{type}", section.type())
                .replace("{energy}", String.format(Locale.ROOT, "%.3f", section.energy()))
                .replace("{energyLevel}", energyLevel(section, song.sections()))
                .replace("{bpm}", String.valueOf(Math.round(song.bpm())))
                .replace("{key}", key)
                .replace("{mood}", song.mood() == null ? "" : String.join(", ", song.mood().tags()))
                .replace("{moodTags}", String.join(", ", section.moodTags()))
                .replace("{genre}", song.genre() == null ? "" : song.genre().primary());
        return filled.replaceAll(" {2,}", " ").replace(" ,", ",").replace(", :", ":").replace(",:", ":").replace(" .", ".").trim();
    }

    static String energyLevel(Section section, List<Section> all) {
        double min = all.stream().mapToDouble(Section::energy).min().orElse(section.energy());
        double max = all.stream().mapToDouble(Section::energy).max().orElse(section.energy());
        if (max - min < 1e-9) {
            return "medium";
        }
        double rel = (section.energy() - min) / (max - min);
        return rel < 1.0 / 3 ? "low" : rel < 2.0 / 3 ? "medium" : "high";
    }
}
