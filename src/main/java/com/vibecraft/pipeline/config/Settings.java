package com.vibecraft.pipeline.config;

/** Checks on settings, so a bad value stops start-up with the setting's name instead of failing later. */
final class Settings {

    private Settings() {
    }

    static void positive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a positive number, got " + value);
        }
    }
}
