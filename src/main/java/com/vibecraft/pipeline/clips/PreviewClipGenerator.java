package com.vibecraft.pipeline.clips;

import com.vibecraft.pipeline.audio.AudioDecoder;
import com.vibecraft.pipeline.audio.DecodedAudio;
import com.vibecraft.pipeline.audio.DecodedAudioCache;
import com.vibecraft.pipeline.clips.preview.PreviewClipRenderer;
import com.vibecraft.pipeline.song.Song;
import com.vibecraft.pipeline.song.SongRepository;
import com.vibecraft.pipeline.storage.DataDirectory;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Function;

/**
 * The default generator: renders an audio-reactive preview of the clip's slice of the song as an
 * MP4 under {@code <data>/clips/<clipId>.mp4}, served at {@code /api/v1/clips/<clipId>/video}.
 * A song's clips usually arrive together, so its decoded samples come from the shared cache.
 */
public class PreviewClipGenerator implements ClipGenerator {

    private final SongRepository songs;
    private final DataDirectory dataDirectory;
    private final AudioDecoder decoder;
    private final DecodedAudioCache decoded;
    private final PreviewClipRenderer renderer;
    private final Function<UUID, String> videoUrl;

    public PreviewClipGenerator(SongRepository songs, DataDirectory dataDirectory, AudioDecoder decoder,
                                DecodedAudioCache decoded, PreviewClipRenderer renderer,
                                Function<UUID, String> videoUrl) {
        this.songs = songs;
        this.dataDirectory = dataDirectory;
        this.decoder = decoder;
        this.decoded = decoded;
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
        return decoded.get(songId, () -> {
            Song song = songs.findById(songId).orElseThrow(() -> new IllegalStateException("Song " + songId + " is gone"));
            return decoder.decode(dataDirectory.resolve(song.storagePath()), Double.POSITIVE_INFINITY);
        });
    }
}
