package com.vibecraft.pipeline.song;

import com.fasterxml.jackson.annotation.JsonValue;

public enum SongStatus {
    UPLOADED, ANALYZING, ANALYZED, FAILED;

    @JsonValue
    public String value() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static SongStatus of(String value) {
        return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
}
