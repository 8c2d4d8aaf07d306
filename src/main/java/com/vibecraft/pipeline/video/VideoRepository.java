package com.vibecraft.pipeline.video;

import com.vibecraft.pipeline.storage.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The songs' music videos in the database: requests, the composition claim (a conditional UPDATE and a
 * lease, as analyses have, so one instance composes a song at a time) and the outcome.
 */
public class VideoRepository {

    /** A row another composition may take: requested and idle/failed, or composing under a dead lease. */
    private static final String TAKEABLE = "((state <> 'composing' AND requested_at IS NOT NULL) OR (state = 'composing' "
            + "AND (lease_until IS NULL OR lease_until < :now OR (owner = :owner AND updated_at < :startedAt))))";
    private static final String CLIPS_STAMP = "(SELECT MAX(c.updated_at) FROM clips c WHERE c.song_id = videos.song_id)";

    /** What is stored about one song's video, with its clips as they are now. */
    public record VideoRecord(UUID songId, String state, OffsetDateTime requestedAt, int progress, String error,
                              OffsetDateTime failedStamp, String filePath, OffsetDateTime composedStamp,
                              OffsetDateTime composedAt, Double durationSec, Integer width, Integer height, Integer fps,
                              Long sizeBytes, int runs, int clipsTotal, OffsetDateTime clipsStamp) {

        public VideoStatus status() {
            return VideoStatus.derive(state, filePath != null, composedStamp, failedStamp, clipsTotal, clipsStamp);
        }

        public VideoState toState() {
            VideoStatus status = status();
            return new VideoState(status, status == VideoStatus.COMPOSING ? progress : filePath != null ? 100 : 0,
                    durationSec, width, height, fps, sizeBytes, status == VideoStatus.FAILED ? error : null,
                    Jdbc.iso(composedAt));
        }
    }

    /** How a composition ended, for the row. */
    public record Outcome(String filePath, double durationSec, int width, int height, int fps, long sizeBytes,
                          boolean streamCopied) {
    }

    private final Jdbc jdbc;
    private final String owner;
    private final Duration lease;

    public VideoRepository(DataSource dataSource, String owner, Duration lease) {
        this.jdbc = new Jdbc(dataSource);
        this.owner = owner;
        this.lease = lease;
    }

    public String owner() {
        return owner;
    }

    /** The song's video record; a song without a row yet gets one with only its clips filled in. */
    public Optional<VideoRecord> find(UUID songId) {
        return jdbc.queryOne("SELECT s.id, v.state, v.requested_at, v.progress, v.error, v.failed_stamp, v.file_path, "
                + "v.composed_stamp, v.composed_at, v.duration_sec, v.width, v.height, v.fps, v.size_bytes, v.runs, "
                + "(SELECT COUNT(*) FROM clips c WHERE c.song_id = s.id) AS clips_total, "
                + "(SELECT MAX(c.updated_at) FROM clips c WHERE c.song_id = s.id) AS clips_stamp "
                + "FROM songs s LEFT JOIN videos v ON v.song_id = s.id WHERE s.id = :id", Map.of("id", songId),
                VideoRepository::map);
    }

    /**
     * A composition is wanted: the row is created if needed and marked requested (a request already
     * standing stays as it is). False when the song does not exist.
     */
    public boolean request(UUID songId) {
        OffsetDateTime now = Jdbc.now();
        Map<String, Object> p = Map.of("id", songId, "now", now);
        try {
            jdbc.update("INSERT INTO videos (song_id, state, requested_at, created_at, updated_at) SELECT id, 'idle', "
                    + ":now, :now, :now FROM songs WHERE id = :id AND NOT EXISTS (SELECT 1 FROM videos v WHERE "
                    + "v.song_id = :id)", p);
        } catch (RuntimeException e) {
            // another request inserted the row at the same moment: the update below marks it
        }
        return jdbc.update("UPDATE videos SET requested_at = COALESCE(requested_at, :now), updated_at = :now "
                + "WHERE song_id = :id", p) == 1;
    }

    /**
     * Claims the next song to compose: requested and idle (or failed), or composing under a lease that
     * ran out (its instance died) or under this owner before this run started. One conditional UPDATE,
     * so of several instances exactly one wins; the claim records the clips' stamp it composes from.
     */
    public Optional<UUID> claimNext(OffsetDateTime startedAt) {
        OffsetDateTime now = Jdbc.now();
        Map<String, Object> p = new HashMap<>();
        p.put("now", now);
        p.put("owner", owner);
        p.put("startedAt", startedAt);
        List<UUID> candidates = jdbc.query("SELECT song_id FROM videos WHERE " + TAKEABLE
                + " ORDER BY requested_at LIMIT 5", p, rs -> rs.getObject(1, UUID.class));
        p.put("until", now.plus(lease));
        for (UUID id : candidates) {
            p.put("id", id);
            if (jdbc.update("UPDATE videos SET state = 'composing', owner = :owner, lease_until = :until, progress = 0, "
                    + "runs = runs + 1, requested_at = NULL, error = NULL, clips_stamp = " + CLIPS_STAMP + ", "
                    + "updated_at = :now WHERE song_id = :id AND " + TAKEABLE, p) == 1) {
                return Optional.of(id);
            }
        }
        return Optional.empty();
    }

    /** Progress of this owner's composition, renewing its lease; false when the claim is no longer its. */
    public boolean progress(UUID songId, int percent) {
        OffsetDateTime now = Jdbc.now();
        return jdbc.update("UPDATE videos SET progress = :progress, lease_until = :until, updated_at = :now "
                + "WHERE song_id = :id AND state = 'composing' AND owner = :owner",
                Map.of("progress", Math.max(0, Math.min(100, percent)), "until", now.plus(lease), "now", now,
                        "id", songId, "owner", owner)) == 1;
    }

    /** The composition succeeded: the new video is the served one, made from the clips as claimed. */
    public boolean composed(UUID songId, Outcome o) {
        Map<String, Object> p = new HashMap<>();
        p.put("path", o.filePath());
        p.put("duration", o.durationSec());
        p.put("width", o.width());
        p.put("height", o.height());
        p.put("fps", o.fps());
        p.put("size", o.sizeBytes());
        p.put("copied", o.streamCopied());
        p.put("now", Jdbc.now());
        p.put("id", songId);
        p.put("owner", owner);
        return jdbc.update("UPDATE videos SET state = 'idle', owner = NULL, lease_until = NULL, progress = 100, "
                + "error = NULL, failed_stamp = NULL, file_path = :path, composed_stamp = clips_stamp, composed_at = :now, "
                + "duration_sec = :duration, width = :width, height = :height, fps = :fps, size_bytes = :size, "
                + "stream_copied = :copied, updated_at = :now WHERE song_id = :id AND state = 'composing' "
                + "AND owner = :owner", p) == 1;
    }

    /** The composition failed: the reason is kept, the served video (if any) stays as it was. */
    public boolean failed(UUID songId, String error) {
        return jdbc.update("UPDATE videos SET state = 'failed', owner = NULL, lease_until = NULL, error = :error, "
                + "failed_stamp = clips_stamp, updated_at = :now WHERE song_id = :id AND state = 'composing' "
                + "AND owner = :owner", Map.of("error", Jdbc.fit(error, 2000), "now", Jdbc.now(), "id", songId,
                "owner", owner)) == 1;
    }

    /**
     * This owner stops without an outcome: the clips were not all completed any more (nothing to do until
     * they are), or the service is stopping ({@code again}: requested again, so the next start resumes it).
     */
    public boolean release(UUID songId, boolean again) {
        OffsetDateTime now = Jdbc.now();
        return jdbc.update("UPDATE videos SET state = 'idle', owner = NULL, lease_until = NULL, progress = 0, "
                + "requested_at = " + (again ? "COALESCE(requested_at, :now)" : "requested_at") + ", updated_at = :now "
                + "WHERE song_id = :id AND state = 'composing' AND owner = :owner",
                Map.of("now", now, "id", songId, "owner", owner)) == 1;
    }

    /**
     * Songs whose clips are all completed and whose video is neither made from them, nor failed on them,
     * nor requested or being composed: an automatic composition that did not happen (the instance stopped
     * between the last clip and the request).
     */
    public List<UUID> songsAwaitingComposition(int limit) {
        return jdbc.query("SELECT s.id FROM songs s WHERE EXISTS (SELECT 1 FROM clips c WHERE c.song_id = s.id) "
                + "AND NOT EXISTS (SELECT 1 FROM clips c WHERE c.song_id = s.id AND c.status <> 'completed') "
                + "AND NOT EXISTS (SELECT 1 FROM videos v WHERE v.song_id = s.id AND (v.state = 'composing' "
                + "OR v.requested_at IS NOT NULL "
                + "OR v.composed_stamp >= (SELECT MAX(c.updated_at) FROM clips c WHERE c.song_id = s.id) "
                + "OR v.failed_stamp >= (SELECT MAX(c.updated_at) FROM clips c WHERE c.song_id = s.id))) "
                + "ORDER BY s.created_at LIMIT :limit", Map.of("limit", limit), rs -> rs.getObject(1, UUID.class));
    }

    /** How often the song's composition has started (operators, and the tests of the claim). */
    public int runs(UUID songId) {
        return jdbc.queryOne("SELECT runs FROM videos WHERE song_id = :id", Map.of("id", songId), rs -> rs.getInt(1))
                .orElse(0);
    }

    private static VideoRecord map(ResultSet rs) throws SQLException {
        return new VideoRecord(rs.getObject("id", UUID.class), rs.getString("state"),
                rs.getObject("requested_at", OffsetDateTime.class), rs.getInt("progress"), rs.getString("error"),
                rs.getObject("failed_stamp", OffsetDateTime.class), rs.getString("file_path"),
                rs.getObject("composed_stamp", OffsetDateTime.class), rs.getObject("composed_at", OffsetDateTime.class),
                Jdbc.doubleOrNull(rs, "duration_sec"), Jdbc.intOrNull(rs, "width"), Jdbc.intOrNull(rs, "height"),
                Jdbc.intOrNull(rs, "fps"), Jdbc.longOrNull(rs, "size_bytes"), rs.getInt("runs"),
                rs.getInt("clips_total"), rs.getObject("clips_stamp", OffsetDateTime.class));
    }
}
