package com.vibecraft.pipeline.ingest;

import com.vibecraft.pipeline.song.Song;

/** The stored song, and whether this call created it (false: identical bytes were already there). */
public record IngestResult(Song song, boolean created) {
}
