package com.vibecraft.pipeline.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * {@code vibecraft.log.level} (env {@code VIBECRAFT_LOG_LEVEL}) as slf4j-simple's default level.
 * slf4j-simple reads its configuration once, when the first logger is made, so this runs first
 * thing in {@code main}, before Camel reads application.properties: it looks in the same places
 * (a -D system property, the environment, the packaged application.properties) in that order.
 */
public final class LogLevel {

    public static final String KEY = "vibecraft.log.level";
    static final String ENV = "VIBECRAFT_LOG_LEVEL";
    static final String SIMPLE_LOGGER_KEY = "org.slf4j.simpleLogger.defaultLogLevel";
    static final Set<String> LEVELS = Set.of("error", "warn", "info", "debug", "trace", "off");

    private LogLevel() {
    }

    /** Sets the level unless slf4j-simple's own property was given explicitly. @return the level in force */
    public static String apply() {
        String explicit = System.getProperty(SIMPLE_LOGGER_KEY);
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        String level = resolve(System.getProperties(), System.getenv(), packaged());
        System.setProperty(SIMPLE_LOGGER_KEY, level);
        return level;
    }

    static String resolve(Properties system, Map<String, String> env, Properties file) {
        String raw = system.getProperty(KEY);
        if (raw == null || raw.isBlank()) {
            raw = env.get(ENV);
        }
        if (raw == null || raw.isBlank()) {
            raw = file.getProperty(KEY);
        }
        if (raw == null || raw.isBlank()) {
            return "info";
        }
        String level = raw.trim().toLowerCase(Locale.ROOT);
        if (!LEVELS.contains(level)) {
            throw new IllegalArgumentException(KEY + " (" + ENV + ") must be one of error, warn, info, debug, trace "
                    + "or off, got '" + raw.trim() + "'");
        }
        return level;
    }

    private static Properties packaged() {
        Properties p = new Properties();
        try (InputStream in = LogLevel.class.getClassLoader().getResourceAsStream("application.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read application.properties: " + e.getMessage(), e);
        }
        return p;
    }
}
