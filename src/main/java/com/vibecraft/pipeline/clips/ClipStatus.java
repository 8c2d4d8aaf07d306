package com.vibecraft.pipeline.clips;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

public enum ClipStatus {
    QUEUED, PROCESSING, COMPLETED, FAILED;

    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ClipStatus of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
