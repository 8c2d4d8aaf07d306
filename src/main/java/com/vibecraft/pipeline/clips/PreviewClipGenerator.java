package com.vibecraft.pipeline.clips;

import com.vibecraft.pipeline.audio.AudioDecoder;
import com.vibecraft.pipeline.audio.DecodedAudio;
import com.vibecraft.pipeline.clips.preview.PreviewClipRenderer;
import com.vibecraft.pipeline.song.Song;
import com.vibecraft.pipeline.song.SongRepository;
import com.vibecraft.pipeline.storage.DataDirectory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The default generator: renders an audio-reactive preview of the clip's slice of the song as an
 * MP4 under {@code <data>/clips/<clipId>.mp4}, served at {@code /api/v1/clips/<clipId>/video}.
 * Decoded songs are kept for a few jobs, since a song's clips usually arrive together.
 */
public class PreviewClipGenerator implements ClipGenerator {

    private static final int CACHED_SONGS = 2;

    private final SongRepository songs;
    private final DataDirectory dataDirectory;
    private final AudioDecoder decoder;
    private final PreviewClipRenderer renderer;
    private final Function<UUID, String> videoUrl;
    private final Map<UUID, DecodedAudio> cache = new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, DecodedAudio> eldest) {
            return size() > CACHED_SONGS;
        }
    };

    public PreviewClipGenerator(SongRepository songs, DataDirectory dataDirectory, AudioDecoder decoder,
                                PreviewClipRenderer renderer, Function<UUID, String> videoUrl) {
        this.songs = songs;
        this.dataDirectory = dataDirectory;
        this.decoder = decoder;
        this.renderer = renderer;
        this.videoUrl = videoUrl;
    }

    @Override
    public GeneratedClip generate(ClipJob job) throws Exception {
        DecodedAudio audio = audio(job.songId());
        Path out = dataDirectory.dir("clips").resolve(job.clipId() + ".mp4");
        renderer.render(audio.samples(), audio.sampleRate(), job.startSec(), job.endSec(), job.fps(), job.numFrames(),
                job.sectionDisplayName(), out);
        return new GeneratedClip(videoUrl.apply(job.clipId()));
    }

    private DecodedAudio audio(UUID songId) throws Exception {
        synchronized (cache) {
            DecodedAudio cached = cache.get(songId);
            if (cached != null) {
                return cached;
            }
        }
        Song song = songs.findById(songId).orElseThrow(() -> new IllegalStateException("Song " + songId + " is gone"));
        DecodedAudio audio = decoder.decode(dataDirectory.resolve(song.storagePath()), Double.POSITIVE_INFINITY);
        synchronized (cache) {
            cache.put(songId, audio);
        }
        return audio;
    }
}
