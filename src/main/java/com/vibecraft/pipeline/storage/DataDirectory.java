package com.vibecraft.pipeline.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * The one folder the service writes to: database, audio originals, uploads in flight, embedded Redis.
 * Every path handed out is resolved inside it, so client input can never escape it.
 */
public final class DataDirectory {

    private final Path root;

    public DataDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path audio() {
        return dir("audio");
    }

    public Path staging() {
        return dir("staging");
    }

    public Path uploads() {
        return dir("uploads");
    }

    public Path database() {
        return dir("db");
    }

    public Path redis() {
        return dir("redis");
    }

    /** A path below the root; refuses anything that would resolve outside it. */
    public Path resolve(String relative) {
        Path p = root.resolve(relative).normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("Path escapes the data directory: " + relative);
        }
        return p;
    }

    public String relativize(Path p) {
        return root.relativize(p.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    /**
     * Removes uploads a crash left half-received (in {@code uploads/} and {@code staging/}). Only files
     * older than {@code age} go, so a second instance sharing the folder keeps its uploads in flight.
     */
    public void removeStaleUploads(Duration age) {
        Instant cutoff = Instant.now().minus(age);
        for (Path folder : new Path[] {uploads(), staging()}) {
            try (Stream<Path> files = Files.list(folder)) {
                files.filter(Files::isRegularFile).filter(f -> olderThan(f, cutoff)).forEach(f -> {
                    try {
                        Files.deleteIfExists(f);
                    } catch (IOException e) {
                        // still in use or already gone: the next start tries again
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot clean " + folder + ": " + e.getMessage(), e);
            }
        }
    }

    private static boolean olderThan(Path f, Instant cutoff) {
        try {
            return Files.getLastModifiedTime(f).toInstant().isBefore(cutoff);
        } catch (IOException e) {
            return false;
        }
    }

    public Path dir(String name) {
        Path p = resolve(name);
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create directory " + p + ": " + e.getMessage(), e);
        }
        return p;
    }
}
