package com.vibecraft.pipeline.song;

import java.util.UUID;

/**
 * This instance's claim on a song's analysis is gone: its lease expired and another instance took
 * the song over (or the song changed meanwhile). The analysis here stops without touching the song.
 */
public class ClaimLostException extends RuntimeException {
    public ClaimLostException(UUID songId, String owner) {
        super("Song " + songId + " is no longer claimed by " + owner + " for analysis");
    }
}
