package com.vibecraft.pipeline.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code bench --reference}: each song's BPM against a reference tempo, within 2 % (strict) and
 * also at double or half tempo (octave-tolerant).
 */
final class BpmCheck {

    static final double TOLERANCE = 0.02;

    private final Map<String, Double> reference;
    private int compared;
    private int strict;
    private int octave;

    BpmCheck(Map<String, Double> reference) {
        this.reference = reference;
    }

    /** {@code songs[].id} → {@code songs[].bpm} of a corpus index.json. */
    static Map<String, Double> readReference(Path indexJson) throws IOException {
        JsonNode root = new ObjectMapper().readTree(indexJson.toFile());
        Map<String, Double> out = new HashMap<>();
        for (JsonNode song : root.path("songs")) {
            if (song.hasNonNull("id") && song.path("bpm").isNumber()) {
                out.put(song.get("id").asText(), song.get("bpm").asDouble());
            }
        }
        return out;
    }

    /** A column suffix for the song's line: its reference and verdict, or nothing without a reference. */
    String compare(Path file, double bpm) {
        String id = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        Double ref = reference.get(id);
        if (ref == null) {
            return "";
        }
        compared++;
        boolean isStrict = within(bpm, ref);
        boolean isOctave = isStrict || within(bpm, ref * 2) || within(bpm, ref / 2);
        strict += isStrict ? 1 : 0;
        octave += isOctave ? 1 : 0;
        return String.format(Locale.ROOT, "  ref %.1f %s", ref, isStrict ? "ok" : isOctave ? "octave" : "MISS");
    }

    static boolean within(double bpm, double ref) {
        return Math.abs(bpm - ref) <= TOLERANCE * ref;
    }

    Optional<String> summary() {
        if (compared == 0) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "BPM within 2 %%: %d/%d strict (%.1f %%), %d/%d octave-tolerant (%.1f %%)",
                strict, compared, 100.0 * strict / compared, octave, compared, 100.0 * octave / compared));
    }
}
