package com.vibecraft.pipeline.song;

import com.vibecraft.pipeline.song.Song.ClipCounts;
import com.vibecraft.pipeline.storage.Jdbc;
import com.vibecraft.pipeline.video.VideoStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The song rows in the relational database (H2 or PostgreSQL), read with their clip and video phase.
 * The analysis claims (leases) are {@link AnalysisClaims}, the stored analyses {@link AnalysisStore}.
 */
public class SongRepository {

    private static final String SONG_COLUMNS = "songs.id, songs.title, songs.original_filename, songs.content_type, "
            + "songs.size_bytes, songs.sha256, songs.storage_path, songs.duration_sec, songs.bpm, songs.status, "
            + "songs.progress, songs.analysis_source, songs.fallback_reason, songs.error, songs.created_at, "
            + "songs.updated_at, songs.analyzed_at, "
            // the clip phase of the song: counts of its clips by status, and when one last changed
            + "cc.clips_total, cc.clips_queued, cc.clips_processing, cc.clips_completed, cc.clips_failed, cc.clips_stamp, "
            // the video phase: what VideoStatus.derive needs, the video row joined on its key
            + "v.state AS video_state, v.file_path AS video_file, v.composed_stamp AS video_composed_stamp, "
            + "v.failed_stamp AS video_failed_stamp";

    /**
     * The song rows chosen by {@code songIds} (a subquery of song ids) with their video row and their
     * clips counted in one pass (one aggregate over the chosen songs' clips, not one subquery per count).
     */
    private static String songsWithClipsAndVideo(String songIds) {
        return " FROM songs LEFT JOIN videos v ON v.song_id = songs.id LEFT JOIN (SELECT song_id, "
                + "COUNT(*) AS clips_total, "
                + "SUM(CASE WHEN status = 'queued' THEN 1 ELSE 0 END) AS clips_queued, "
                + "SUM(CASE WHEN status = 'processing' THEN 1 ELSE 0 END) AS clips_processing, "
                + "SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END) AS clips_completed, "
                + "SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS clips_failed, "
                + "MAX(updated_at) AS clips_stamp FROM clips WHERE song_id IN (" + songIds + ") GROUP BY song_id) cc "
                + "ON cc.song_id = songs.id";
    }

    private final Jdbc jdbc;

    public SongRepository(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource);
    }

    public void insert(NewSong s) {
        OffsetDateTime now = now();
        Map<String, Object> p = new HashMap<>();
        p.put("id", s.id());
        p.put("title", s.title());
        p.put("originalFilename", s.originalFilename());
        p.put("contentType", s.contentType());
        p.put("format", s.format());
        p.put("sizeBytes", s.sizeBytes());
        p.put("sha256", s.sha256());
        p.put("storagePath", s.storagePath());
        p.put("durationSec", s.durationSec());
        p.put("status", SongStatus.UPLOADED.value());
        p.put("now", now);
        update("INSERT INTO songs (id, title, original_filename, content_type, format, size_bytes, sha256, "
                + "storage_path, duration_sec, status, progress, created_at, updated_at) VALUES (:id, :title, "
                + ":originalFilename, :contentType, :format, :sizeBytes, :sha256, :storagePath, :durationSec, "
                + ":status, 0, :now, :now)", p);
    }

    public Optional<Song> findById(UUID id) {
        return queryOne("SELECT " + SONG_COLUMNS + songsWithClipsAndVideo(":id") + " WHERE songs.id = :id",
                Map.of("id", id));
    }

    public Optional<Song> findBySha256(String sha256) {
        return queryOne("SELECT " + SONG_COLUMNS + songsWithClipsAndVideo("SELECT id FROM songs WHERE sha256 = :sha")
                + " WHERE songs.sha256 = :sha", Map.of("sha", sha256));
    }

    public List<Song> list(int limit, int offset) {
        // the page's ids first, as values: given as a subquery, H2 evaluated the page again for every
        // clip row of the counts (75-120 s for 200 songs of 36 clips under load)
        List<UUID> page = jdbc.query("SELECT id FROM songs ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset",
                Map.of("limit", limit, "offset", offset), rs -> rs.getObject(1, UUID.class));
        if (page.isEmpty()) {
            return List.of();
        }
        Map<String, Object> ids = new HashMap<>();
        String in = Jdbc.namedList("s", page, ids);
        return query("SELECT " + SONG_COLUMNS + songsWithClipsAndVideo(in)
                + " WHERE songs.id IN (" + in + ") ORDER BY songs.created_at DESC, songs.id", ids);
    }

    /** The song's status alone, for steps that need nothing else of the song (no joins, no counts). */
    public Optional<SongStatus> status(UUID id) {
        return jdbc.queryOne("SELECT status FROM songs WHERE id = :id", Map.of("id", id),
                rs -> SongStatus.of(rs.getString(1)));
    }

    /** The song's length alone, for reads that need nothing else of the song (no joins, no counts). */
    public Optional<Double> durationSec(UUID id) {
        return jdbc.queryOne("SELECT duration_sec FROM songs WHERE id = :id", Map.of("id", id), rs -> rs.getDouble(1));
    }

    public long count() {
        return jdbc.queryOne("SELECT COUNT(*) FROM songs", Map.of(), rs -> rs.getLong(1)).orElse(0L);
    }

    /** Songs per status; every status is present (0 when none). */
    public Map<SongStatus, Long> countByStatus() {
        Map<SongStatus, Long> counts = new java.util.EnumMap<>(SongStatus.class);
        for (SongStatus st : SongStatus.values()) {
            counts.put(st, 0L);
        }
        jdbc.query("SELECT status, COUNT(*) FROM songs GROUP BY status", Map.of(),
                rs -> Map.entry(rs.getString(1), rs.getLong(2))).forEach(e -> {
                    for (SongStatus st : SongStatus.values()) {
                        if (st.value().equals(e.getKey())) {
                            counts.put(st, e.getValue());
                        }
                    }
                });
        return counts;
    }

    private Optional<Song> queryOne(String sql, Map<String, ?> params) {
        return jdbc.queryOne(sql, params, SongRepository::mapSong);
    }

    private List<Song> query(String sql, Map<String, ?> params) {
        return jdbc.query(sql, params, SongRepository::mapSong);
    }

    private int update(String sql, Map<String, ?> params) {
        return jdbc.update(sql, params);
    }

    private static Song mapSong(ResultSet rs) throws SQLException {
        double bpm = rs.getDouble("bpm");
        Double bpmOrNull = rs.wasNull() ? null : bpm;
        return new Song(
                rs.getObject("id", UUID.class),
                rs.getString("title"),
                rs.getString("original_filename"),
                rs.getString("content_type"),
                rs.getLong("size_bytes"),
                rs.getString("sha256").trim(),
                rs.getDouble("duration_sec"),
                bpmOrNull,
                SongStatus.of(rs.getString("status")),
                rs.getInt("progress"),
                rs.getString("analysis_source"),
                rs.getString("fallback_reason"),
                rs.getString("error"),
                iso(rs.getObject("created_at", OffsetDateTime.class)),
                iso(rs.getObject("updated_at", OffsetDateTime.class)),
                iso(rs.getObject("analyzed_at", OffsetDateTime.class)),
                new ClipCounts(rs.getInt("clips_total"), rs.getInt("clips_queued"), rs.getInt("clips_processing"),
                        rs.getInt("clips_completed"), rs.getInt("clips_failed")),
                new Song.VideoPhase(VideoStatus.derive(rs.getString("video_state"), rs.getString("video_file") != null,
                        rs.getObject("video_composed_stamp", OffsetDateTime.class),
                        rs.getObject("video_failed_stamp", OffsetDateTime.class), rs.getInt("clips_total"),
                        rs.getObject("clips_stamp", OffsetDateTime.class))),
                rs.getString("storage_path"));
    }

    private static String iso(OffsetDateTime t) {
        return Jdbc.iso(t);
    }

    private static OffsetDateTime now() {
        return Jdbc.now();
    }
}
