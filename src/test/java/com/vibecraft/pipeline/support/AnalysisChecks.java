package com.vibecraft.pipeline.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Checks on an analysis JSON shared by the flow, Audjust and command-line tests. */
public final class AnalysisChecks {

    private AnalysisChecks() {
    }

    /** The song's key, mood and genre, and every section's key, energy level and mood tags, are there and valid. */
    public static void assertDescribed(JsonNode analysis) {
        JsonNode key = analysis.path("key");
        assertTrue(key.path("name").asText().matches("[A-G]b? (major|minor)"), key.toString());
        assertTrue(key.path("name").asText().equals(key.path("tonic").asText() + " " + key.path("mode").asText()),
                key.toString());
        JsonNode mood = analysis.path("mood");
        for (String v : List.of("energy", "valence", "danceability", "tension")) {
            assertTrue(mood.path(v).isNumber() && mood.path(v).asDouble() >= 0 && mood.path(v).asDouble() <= 1,
                    mood.toString());
        }
        assertTrue(mood.path("tags").size() >= 1, mood.toString());
        assertTrue(List.of("electronic", "rock", "hip-hop", "pop", "classical", "ambient")
                .contains(analysis.path("genre").path("primary").asText()), analysis.path("genre").toString());
        for (JsonNode s : analysis.path("sections")) {
            assertTrue(s.path("key").asText().matches("[A-G]b? (major|minor)"), s.toString());
            assertTrue(s.path("energyLevel").asDouble() >= 0 && s.path("energyLevel").asDouble() <= 1, s.toString());
            assertTrue(s.path("moodTags").size() >= 1, s.toString());
        }
    }
}
