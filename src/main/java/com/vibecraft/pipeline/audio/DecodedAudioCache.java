package com.vibecraft.pipeline.audio;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The last few decoded songs, by song id. Ingest decodes a song to learn its duration; the analysis
 * that follows at once, and the preview clips after it, need the same samples: decoding once saves
 * about a second of CPU per 4-minute MP3 at each step.
 */
public final class DecodedAudioCache {

    @FunctionalInterface
    public interface Decode {
        DecodedAudio decode() throws Exception;
    }

    private final Map<UUID, DecodedAudio> songs;

    public DecodedAudioCache(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative");
        }
        this.songs = new LinkedHashMap<>(8, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, DecodedAudio> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized void put(UUID songId, DecodedAudio audio) {
        songs.put(songId, audio);
    }

    /** The cached samples, or decodes them (outside the lock, so other songs are not held up) and keeps them. */
    public DecodedAudio get(UUID songId, Decode decode) throws Exception {
        synchronized (this) {
            DecodedAudio cached = songs.get(songId);
            if (cached != null) {
                return cached;
            }
        }
        DecodedAudio audio = decode.decode();
        put(songId, audio);
        return audio;
    }

    public synchronized int size() {
        return songs.size();
    }
}
