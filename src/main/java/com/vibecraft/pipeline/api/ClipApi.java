package com.vibecraft.pipeline.api;

import com.vibecraft.pipeline.clips.Clip;
import com.vibecraft.pipeline.clips.ClipRepository;
import com.vibecraft.pipeline.clips.ClipSummary;
import com.vibecraft.pipeline.domain.NotFoundException;
import com.vibecraft.pipeline.song.SongRepository;
import com.vibecraft.pipeline.storage.DataDirectory;
import java.io.File;
import java.util.List;
import java.util.UUID;

/** The clip reads of the API (routes/api-clips.camel.yaml) and the preview video file's lookup. */
public class ClipApi {

    private final SongRepository songs;
    private final ClipRepository clips;
    private final DataDirectory dataDirectory;

    public ClipApi(SongRepository songs, ClipRepository clips, DataDirectory dataDirectory) {
        this.songs = songs;
        this.clips = clips;
        this.dataDirectory = dataDirectory;
    }

    public List<Clip> clipsOf(String songId) {
        UUID id = NotFoundException.parseId(songId, "Song " + songId + " was not found.");
        songs.durationSec(id).orElseThrow(() -> new NotFoundException("Song " + songId + " was not found."));
        return clips.findBySong(id);
    }

    public ClipSummary summary(String songId) {
        UUID id = NotFoundException.parseId(songId, "No clip plans found for this song.");
        double durationSec = songs.durationSec(id)
                .orElseThrow(() -> new NotFoundException("No clip plans found for this song."));
        List<Clip> list = clips.findBySong(id);
        if (list.isEmpty()) {
            throw new NotFoundException("No clip plans found for this song.");
        }
        return ClipSummary.of(id, durationSec, list);
    }

    /** The preview video of a clip, if the built-in preview generator made one. */
    public File videoFile(String clipId) {
        UUID id = NotFoundException.parseId(clipId, "Clip " + clipId + " was not found.");
        clips.find(id).orElseThrow(() -> new NotFoundException("Clip " + clipId + " was not found."));
        File f = dataDirectory.resolve("clips/" + id + ".mp4").toFile();
        if (!f.isFile()) {
            throw new NotFoundException("Clip " + clipId + " has no preview video (yet).");
        }
        return f;
    }
}
