package com.vibecraft.pipeline.clips;

import com.vibecraft.pipeline.analysis.Section;
import java.util.List;
import java.util.Locale;

/**
 * Fills the prompt template for a section. Placeholders: {@code {displayName}}, {@code {type}},
 * {@code {energy}} (the section's RMS, 3 decimals), {@code {energyLevel}} (low/medium/high relative to
 * the song's other sections) and {@code {bpm}} (rounded).
 */
public class ClipPrompts {

    private final String template;

    public ClipPrompts(String template) {
        if (template == null || template.isBlank()) {
            throw new IllegalArgumentException("the clip prompt template must not be empty");
        }
        this.template = template;
    }

    public String prompt(Section section, List<Section> allSections, double bpm) {
        return template
                .replace("{displayName}", section.displayName())
                .replace("{type}", section.type())
                .replace("{energy}", String.format(Locale.ROOT, "%.3f", section.energy()))
                .replace("{energyLevel}", energyLevel(section, allSections))
                .replace("{bpm}", String.valueOf(Math.round(bpm)));
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
