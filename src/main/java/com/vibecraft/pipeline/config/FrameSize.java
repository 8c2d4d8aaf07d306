package com.vibecraft.pipeline.config;

import java.util.Locale;

/** A {@code WIDTHxHEIGHT} setting (the video's, the preview clips'), read once at start-up. */
record FrameSize(int width, int height) {

    /**
     * @param setting the property and its environment variable, for the message
     * @param example a value that works, for the message
     * @throws IllegalArgumentException naming the setting and the value when it is not two whole numbers
     */
    static FrameSize parse(String value, String setting, String example) {
        String[] wh = value == null ? new String[0] : value.trim().toLowerCase(Locale.ROOT).split("x");
        try {
            if (wh.length != 2) {
                throw new IllegalArgumentException("expected WIDTHxHEIGHT such as " + example);
            }
            return new FrameSize(Integer.parseInt(wh[0].trim()), Integer.parseInt(wh[1].trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + " is unusable (" + value + "): " + e.getMessage(), e);
        }
    }
}
