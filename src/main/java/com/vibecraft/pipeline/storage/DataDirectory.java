package com.vibecraft.pipeline.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
