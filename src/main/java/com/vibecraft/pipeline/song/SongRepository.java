package com.vibecraft.pipeline.song;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vibecraft.pipeline.analysis.Section;
import com.vibecraft.pipeline.song.Song.ClipCounts;
import com.vibecraft.pipeline.storage.Jdbc;
import com.vibecraft.pipeline.storage.NamedSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** Songs and their sections in the relational database (H2 or PostgreSQL). */
public class SongRepository {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SONG_COLUMNS = "id, title, original_filename, content_type, size_bytes, sha256, "
            + "storage_path, duration_sec, bpm, status, progress, analysis_source, fallback_reason, error, "
            + "created_at, updated_at, analyzed_at, "
            // the clip phase of the song: counts of its clips by status
            + "(SELECT COUNT(*) FROM clips c WHERE c.song_id = songs.id) AS clips_total, "
            + "(SELECT COUNT(*) FROM clips c WHERE c.song_id = songs.id AND c.status = 'queued') AS clips_queued, "
            + "(SELECT COUNT(*) FROM clips c WHERE c.song_id = songs.id AND c.status = 'processing') AS clips_processing, "
            + "(SELECT COUNT(*) FROM clips c WHERE c.song_id = songs.id AND c.status = 'completed') AS clips_completed, "
            + "(SELECT COUNT(*) FROM clips c WHERE c.song_id = songs.id AND c.status = 'failed') AS clips_failed";

    private final DataSource dataSource;
    private final Jdbc jdbc;

    public SongRepository(DataSource dataSource) {
        this.dataSource = dataSource;
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
        return queryOne("SELECT " + SONG_COLUMNS + " FROM songs WHERE id = :id", Map.of("id", id));
    }

    public Optional<Song> findBySha256(String sha256) {
        return queryOne("SELECT " + SONG_COLUMNS + " FROM songs WHERE sha256 = :sha", Map.of("sha", sha256));
    }

    public List<Song> list(int limit, int offset) {
        return query("SELECT " + SONG_COLUMNS + " FROM songs ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset",
                Map.of("limit", limit, "offset", offset));
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

    /**
     * Moves a song to {@code analyzing} unless it is already there.
     *
     * @return false when the song is missing or already being analysed
     */
    public boolean claimForAnalysis(UUID id) {
        return update("UPDATE songs SET status = :analyzing, progress = 0, error = NULL, analysis_source = NULL, "
                + "fallback_reason = NULL, updated_at = :now WHERE id = :id AND status <> :analyzing",
                Map.of("analyzing", SongStatus.ANALYZING.value(), "now", now(), "id", id)) == 1;
    }

    /** Puts a song found unfinished at start-up back to the start of its analysis. */
    public void restartAnalysis(UUID id) {
        update("UPDATE songs SET status = :analyzing, progress = 0, updated_at = :now WHERE id = :id",
                Map.of("analyzing", SongStatus.ANALYZING.value(), "now", now(), "id", id));
    }

    public void updateProgress(UUID id, int progress) {
        update("UPDATE songs SET progress = :progress, updated_at = :now WHERE id = :id AND status = :analyzing",
                Map.of("progress", Math.max(0, Math.min(100, progress)), "now", now(), "id", id,
                        "analyzing", SongStatus.ANALYZING.value()));
    }

    public void markFailed(UUID id, String error) {
        Map<String, Object> p = new HashMap<>();
        p.put("failed", SongStatus.FAILED.value());
        p.put("error", truncate(error, 2000));
        p.put("now", now());
        p.put("id", id);
        update("UPDATE songs SET status = :failed, error = :error, updated_at = :now WHERE id = :id", p);
    }

    /**
     * Songs a crash or restart left behind: never analysed, or caught mid-analysis, and last touched
     * before {@code before} (so songs this run has already queued are not queued twice).
     */
    public List<UUID> findUnfinished(OffsetDateTime before) {
        return jdbc.query("SELECT id FROM songs WHERE status IN (:uploaded, :analyzing) AND updated_at < :before "
                + "ORDER BY created_at", Map.of("uploaded", SongStatus.UPLOADED.value(),
                "analyzing", SongStatus.ANALYZING.value(), "before", before), rs -> rs.getObject(1, UUID.class));
    }

    /** Stores the analysis and marks the song analysed, in one transaction. */
    public void saveAnalysis(UUID id, SongAnalysis analysis) {
        String beats;
        try {
            beats = JSON.writeValueAsString(analysis.beatTimes());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        jdbc.inTransaction(c -> {
            Jdbc.update(c, "DELETE FROM sections WHERE song_id = :id", Map.of("id", id));
            NamedSql insert = NamedSql.of("INSERT INTO sections (song_id, id, section_index, type, type_soft, "
                    + "display_name, raw_label, repetition_group, start_sec, end_sec, confidence, energy) VALUES "
                    + "(:songId, :id, :index, :type, :typeSoft, :displayName, :rawLabel, :repetitionGroup, "
                    + ":startSec, :endSec, :confidence, :energy)");
            try (PreparedStatement ps = c.prepareStatement(insert.jdbcSql())) {
                for (Section s : analysis.sections()) {
                    Map<String, Object> p = new HashMap<>();
                    p.put("songId", id);
                    p.put("id", s.id());
                    p.put("index", s.index());
                    p.put("type", s.type());
                    p.put("typeSoft", s.typeSoft());
                    p.put("displayName", s.displayName());
                    p.put("rawLabel", s.rawLabel());
                    p.put("repetitionGroup", s.repetitionGroup());
                    p.put("startSec", s.startSec());
                    p.put("endSec", s.endSec());
                    p.put("confidence", s.confidence());
                    p.put("energy", s.energy());
                    insert.bind(ps, p);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            Map<String, Object> p = new HashMap<>();
            p.put("bpm", analysis.bpm());
            p.put("beats", beats);
            p.put("duration", analysis.durationSec());
            p.put("analyzed", SongStatus.ANALYZED.value());
            p.put("source", analysis.analysisSource());
            p.put("reason", truncate(analysis.fallbackReason(), 1000));
            p.put("now", now());
            p.put("id", id);
            return Jdbc.update(c, "UPDATE songs SET bpm = :bpm, beat_times = :beats, duration_sec = :duration, "
                    + "status = :analyzed, progress = 100, analysis_source = :source, fallback_reason = :reason, "
                    + "error = NULL, analyzed_at = :now, updated_at = :now, "
                    // clips are planned next; if that does not happen now, the relay does it later
                    + "clips_requested_at = :now WHERE id = :id", p);
        });
    }

    public Optional<SongAnalysis> findAnalysis(UUID id) {
        try (Connection c = dataSource.getConnection()) {
            String beats;
            double bpm;
            double duration;
            String source;
            String reason;
            try (PreparedStatement ps = NamedSql.of("SELECT bpm, beat_times, duration_sec, analysis_source, "
                    + "fallback_reason FROM songs WHERE id = :id AND status = :analyzed")
                    .prepare(c, Map.of("id", id, "analyzed", SongStatus.ANALYZED.value()));
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                bpm = rs.getDouble(1);
                beats = rs.getString(2);
                duration = rs.getDouble(3);
                source = rs.getString(4);
                reason = rs.getString(5);
            }
            List<Section> sections = new ArrayList<>();
            try (PreparedStatement ps = NamedSql.of("SELECT id, section_index, type, type_soft, display_name, "
                    + "raw_label, repetition_group, start_sec, end_sec, confidence, energy FROM sections "
                    + "WHERE song_id = :id ORDER BY section_index").prepare(c, Map.of("id", id));
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sections.add(new Section(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getInt(6), rs.getInt(7), rs.getDouble(8), rs.getDouble(9),
                            rs.getDouble(10), rs.getDouble(11)));
                }
            }
            List<Double> beatTimes = beats == null ? List.of()
                    : JSON.readValue(beats, new TypeReference<List<Double>>() { });
            return Optional.of(new SongAnalysis(id, duration, bpm, beatTimes, sections, source, reason));
        } catch (SQLException | JsonProcessingException e) {
            throw new StorageException("Could not read the analysis of song " + id, e);
        }
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
                rs.getString("storage_path"));
    }

    private static String iso(OffsetDateTime t) {
        return Jdbc.iso(t);
    }

    private static OffsetDateTime now() {
        return Jdbc.now();
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
