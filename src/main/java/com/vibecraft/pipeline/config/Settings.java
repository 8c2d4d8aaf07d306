package com.vibecraft.pipeline.config;

/** Checks on settings, so a bad value stops start-up with the setting's name instead of failing later. */
final class Settings {

    private Settings() {
    }

    static int port(String name, String value) {
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a port number between 1 and 65535, got '" + value + "'");
    }

    static void positive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a positive number, got " + value);
        }
    }
}
