package com.vibecraft.pipeline.flow;

import com.vibecraft.pipeline.clips.Clip;
import com.vibecraft.pipeline.clips.ClipRepository;
import com.vibecraft.pipeline.domain.ConflictException;
import com.vibecraft.pipeline.domain.NotFoundException;
import com.vibecraft.pipeline.media.ClipFetcher;
import com.vibecraft.pipeline.media.ClipMediaException;
import com.vibecraft.pipeline.media.ClipSlot;
import com.vibecraft.pipeline.media.ComposedVideo;
import com.vibecraft.pipeline.media.CompositionException;
import com.vibecraft.pipeline.media.VideoComposer;
import com.vibecraft.pipeline.song.Song;
import com.vibecraft.pipeline.song.SongRepository;
import com.vibecraft.pipeline.storage.DataDirectory;
import com.vibecraft.pipeline.video.VideoRepository.VideoRecord;
import com.vibecraft.pipeline.video.VideoRepository;
import com.vibecraft.pipeline.video.VideoState;
import com.vibecraft.pipeline.video.VideoStatus;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * routes/80-video-compose.camel.yaml and the video endpoints: a song's completed clips and its audio become
 * its music video (SPEC §10). A composition is requested when the last clip of the plan completes (or on
 * request), claimed by one instance under a lease, written to a temporary file and moved into place, so
 * the previous video is served until the new one is whole.
 */
public class VideoSteps {

    private static final Logger LOG = LoggerFactory.getLogger(VideoSteps.class);
    /** Progress is written (and the lease renewed) at most this often. */
    private static final long PROGRESS_EVERY_NANOS = 500_000_000L;

    /** How one composition ended, for the metrics: outcome composed, failed, waiting, lost or interrupted. */
    public record CompositionReport(UUID songId, String outcome, double wallSec, double songSec, boolean streamCopied) {
    }

    /** The claim on a composition moved to another instance (this one's lease ran out). */
    static final class ClaimLost extends RuntimeException {
        ClaimLost(UUID songId) {
            super("The composition of song " + songId + " is no longer this instance's");
        }
    }

    private final SongRepository songs;
    private final ClipRepository clips;
    private final VideoRepository videos;
    private final ClipFetcher fetcher;
    private final VideoComposer composer;
    private final DataDirectory dataDirectory;
    private final boolean autoCompose;
    private final OffsetDateTime startedAt = OffsetDateTime.now();

    public VideoSteps(SongRepository songs, ClipRepository clips, VideoRepository videos, ClipFetcher fetcher,
                      VideoComposer composer, DataDirectory dataDirectory, boolean autoCompose) {
        this.songs = songs;
        this.clips = clips;
        this.videos = videos;
        this.fetcher = fetcher;
        this.composer = composer;
        this.dataDirectory = dataDirectory;
        this.autoCompose = autoCompose;
    }

    // ------------------------------------------------------------------ requests

    /** {@code POST /songs/{id}/video}: 202 with the status, 404 no song, 409 while clips are missing or not completed. */
    public VideoState request(String songId) {
        UUID id = NotFoundException.parseId(songId, "Song " + songId + " was not found.");
        Song song = songs.findById(id).orElseThrow(() -> new NotFoundException("Song " + songId + " was not found."));
        if (song.clips().total() == 0) {
            throw new ConflictException("Song " + songId + " has no clips yet: a video is composed from them "
                    + "(they are planned after the analysis, or with POST /songs/" + songId + "/clips).");
        }
        String missing = notCompleted(song.clips());
        if (missing != null) {
            throw new ConflictException("Song " + songId + " cannot be composed yet: " + missing + ".");
        }
        if (!videos.request(id)) {
            throw new NotFoundException("Song " + songId + " was not found.");
        }
        LOG.info("Song {}: video requested", id);
        return state(id);
    }

    /** Clip-results route: a clip completed; when it was the plan's last, the video is requested (if automatic). */
    public void clipCompleted(UUID songId) {
        if (!autoCompose || songId == null) {
            return;
        }
        // the song row carries its clips' counts: no need to read the plan for every completed clip
        Song song = songs.findById(songId).orElse(null);
        if (song == null || song.clips().total() == 0 || notCompleted(song.clips()) != null) {
            return;
        }
        VideoStatus status = videos.find(songId).map(VideoRecord::status).orElse(VideoStatus.NONE);
        if (status != VideoStatus.COMPOSED && status != VideoStatus.COMPOSING && videos.request(songId)) {
            LOG.info("Song {}: all {} clips completed, video requested", songId, song.clips().total());
        }
    }

    /** Sweeper: automatic compositions a stop between the last clip and its request left out. */
    public int requestMissed() {
        if (!autoCompose) {
            return 0;
        }
        int n = 0;
        for (UUID id : videos.songsAwaitingComposition(20)) {
            if (videos.request(id)) {
                LOG.info("Song {}: all clips completed, video requested (sweep)", id);
                n++;
            }
        }
        return n;
    }

    /** The next song this instance composes, claimed; null when there is none. */
    public UUID claimNext() {
        Optional<UUID> id = videos.claimNext(startedAt);
        id.ifPresent(s -> LOG.info("Song {}: video composing (run {}, {})", s, videos.runs(s), videos.owner()));
        return id.orElse(null);
    }

    // ------------------------------------------------------------------ composing

    /** Composes the claimed song's video and records the outcome; never throws for a bad clip or file. */
    public CompositionReport compose(UUID songId) {
        long t0 = System.nanoTime();
        Song song = songs.findById(songId).orElse(null);
        if (song == null) {
            return report(songId, "lost", t0, 0, false);
        }
        String missing = song.clips().total() == 0 ? "no clips" : notCompleted(song.clips());
        if (missing != null) {
            videos.release(songId, false);
            LOG.info("Song {}: video waiting ({})", songId, missing);
            return report(songId, "waiting", t0, song.durationSec(), false);
        }
        Path videosDir = dataDirectory.dir("videos");
        Path work = videosDir.resolve(".work-" + songId);
        Progress progress = new Progress(songId);
        Path target = videosDir.resolve(songId + ".mp4");
        try {
            // what a killed composition of this song left behind (this claim is the song's only one)
            ClipFetcher.deleteWorkDir(work);
            int leftovers = VideoComposer.removeLeftovers(target);
            if (leftovers > 0) {
                LOG.info("Song {}: removed {} partial video file(s) of an interrupted composition", songId, leftovers);
            }
            Files.createDirectories(work);
            List<Clip> plan = clips.findBySong(songId);
            List<ClipSlot> slots = new ArrayList<>(plan.size());
            for (Clip c : plan) {
                Path file = fetcher.fetch(c.clipIndex(), c.id().toString(), c.videoUrl(), work);
                slots.add(new ClipSlot(c.clipIndex(), c.id().toString(), file, c.startSec(), c.endSec()));
                progress.update(slots.size() * 10 / plan.size());
            }
            ComposedVideo v = composer.compose(slots, dataDirectory.resolve(song.storagePath()), song.durationSec(),
                    target, pct -> progress.update(10 + pct * 9 / 10));
            if (!videos.composed(songId, new VideoRepository.Outcome(dataDirectory.relativize(target), v.durationSec(),
                    v.width(), v.height(), v.fps(), v.sizeBytes(), v.streamCopied()))) {
                throw new ClaimLost(songId);
            }
            LOG.info("Song {}: video composed ({} clips, {}x{} at {} fps, {} s, {} bytes, {}, {} s wall)", songId,
                    slots.size(), v.width(), v.height(), v.fps(), String.format("%.2f", v.durationSec()), v.sizeBytes(),
                    v.streamCopied() ? "stream copy" : "re-encoded", String.format("%.1f", v.wallSec()));
            return report(songId, "composed", t0, song.durationSec(), v.streamCopied());
        } catch (ClipMediaException | CompositionException e) {
            return fail(songId, e.getMessage(), t0, song.durationSec());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // the service is stopping: the next start (here or elsewhere) composes it again
            videos.release(songId, true);
            LOG.info("Song {}: video composition interrupted, requested again", songId);
            return report(songId, "interrupted", t0, song.durationSec(), false);
        } catch (ClaimLost e) {
            LOG.warn("Song {}: {}", songId, e.getMessage());
            return report(songId, "lost", t0, song.durationSec(), false);
        } catch (IOException | RuntimeException e) {
            return fail(songId, "The video could not be composed: " + e, t0, song.durationSec());
        } finally {
            try {
                ClipFetcher.deleteWorkDir(work);
            } catch (IOException e) {
                LOG.warn("Could not remove {}: {}", work, e.getMessage());
            }
        }
    }

    private CompositionReport fail(UUID songId, String error, long t0, double songSec) {
        videos.failed(songId, error);
        LOG.warn("Song {}: video failed: {}", songId, error);
        return report(songId, "failed", t0, songSec, false);
    }

    /** Writes the progress (renewing the lease) when it moved and not more often than every half second. */
    private final class Progress {
        private final UUID songId;
        private int last = -1;
        private long lastAt;

        Progress(UUID songId) {
            this.songId = songId;
        }

        void update(int percent) {
            long now = System.nanoTime();
            if (percent == last || (last >= 0 && now - lastAt < PROGRESS_EVERY_NANOS)) {
                return;
            }
            last = percent;
            lastAt = now;
            if (!videos.progress(songId, percent)) {
                throw new ClaimLost(songId);
            }
        }
    }

    // ------------------------------------------------------------------ reading

    /** {@code GET /songs/{id}/video/status}. */
    public VideoState status(String songId) {
        UUID id = NotFoundException.parseId(songId, "Song " + songId + " was not found.");
        return state(id);
    }

    /** {@code GET /songs/{id}/video}: the served video file, or 404 while there is none. */
    public File videoFile(String songId) {
        UUID id = NotFoundException.parseId(songId, "Song " + songId + " was not found.");
        VideoRecord r = videos.find(id).orElseThrow(() -> new NotFoundException("Song " + songId + " was not found."));
        File f = r.filePath() == null ? null : dataDirectory.resolve(r.filePath()).toFile();
        if (f == null || !f.isFile()) {
            throw new NotFoundException("Song " + songId + " has no video yet (status: " + r.status().value() + ").");
        }
        return f;
    }

    private VideoState state(UUID id) {
        return videos.find(id).map(VideoRecord::toState)
                .orElseThrow(() -> new NotFoundException("Song " + id + " was not found."));
    }

    // ------------------------------------------------------------------ helpers

    /** Null when every clip is completed, else how many are not (for messages). */
    static String notCompleted(Song.ClipCounts counts) {
        int open = counts.queued() + counts.processing() + counts.failed();
        if (open == 0) {
            return null;
        }
        return open + " of " + counts.total() + " clips are not completed (" + counts.queued() + " queued, "
                + counts.processing() + " processing, " + counts.failed() + " failed)";
    }

    private static CompositionReport report(UUID songId, String outcome, long t0, double songSec, boolean copied) {
        return new CompositionReport(songId, outcome, (System.nanoTime() - t0) / 1e9, songSec, copied);
    }
}
