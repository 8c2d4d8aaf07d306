package com.vibecraft.pipeline.song;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vibecraft.pipeline.analysis.Section;
import com.vibecraft.pipeline.analysis.SongAnalysis;
import com.vibecraft.pipeline.song.Song.ClipCounts;
import com.vibecraft.pipeline.storage.Jdbc;
import com.vibecraft.pipeline.storage.NamedSql;
import com.vibecraft.pipeline.storage.StorageException;
import com.vibecraft.pipeline.video.VideoStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
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
    private static final String SONG_COLUMNS = "songs.id, songs.title, songs.original_filename, songs.content_type, "
            + "songs.size_bytes, songs.sha256, songs.storage_path, songs.duration_sec, songs.bpm, songs.status, "
            + "songs.progress, songs.analysis_source, songs.fallback_reason, songs.error, songs.created_at, "
            + "songs.updated_at, songs.analyzed_at, "
            // the clip phase of the song: counts of its clips by status (index clips_order_uk leads with song_id)
            + "(SELECT COUNT(*) FROM clips c WHERE c.song_id = songs.id) AS clips_total, "
            + "(SELECT COUNT(*) FROM clips c WHERE c.song_id = songs.id AND c.status = 'queued') AS clips_queued, "
            + "(SELECT COUNT(*) FROM clips c WHERE c.song_id = songs.id AND c.status = 'processing') AS clips_processing, "
            + "(SELECT COUNT(*) FROM clips c WHERE c.song_id = songs.id AND c.status = 'completed') AS clips_completed, "
            + "(SELECT COUNT(*) FROM clips c WHERE c.song_id = songs.id AND c.status = 'failed') AS clips_failed, "
            // the video phase: what VideoStatus.derive needs, the video row joined on its key
            + "(SELECT MAX(c.updated_at) FROM clips c WHERE c.song_id = songs.id) AS clips_stamp, "
            + "v.state AS video_state, v.file_path AS video_file, v.composed_stamp AS video_composed_stamp, "
            + "v.failed_stamp AS video_failed_stamp";
    /** The song rows with their video row, if any. */
    private static final String SONGS_WITH_VIDEO = " FROM songs LEFT JOIN videos v ON v.song_id = songs.id";

    /**
     * Songs another analysis may take: never claimed (left 'uploaded' before {@code :before}), or
     * 'analyzing' under a lease that has expired (its instance died), or under this instance's own id
     * but claimed before this run started (this instance's previous life).
     */
    private static final String TAKEABLE = "((status = 'uploaded' AND updated_at < :before) OR (status = 'analyzing' "
            + "AND (analysis_lease_until IS NULL OR analysis_lease_until < :now "
            + "OR (analysis_owner = :owner AND updated_at < :startedAt))))";

    private final DataSource dataSource;
    private final Jdbc jdbc;
    private final String owner;
    private final Duration lease;
    /** Songs claimed by this instance whose analysis has not ended here: the ones whose leases it renews. */
    private final java.util.Set<UUID> held = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** For tools and tests that work alone on a database: owner {@code local}, one-minute leases. */
    public SongRepository(DataSource dataSource) {
        this(dataSource, "local", Duration.ofMinutes(1));
    }

    /**
     * @param owner this instance's id, written on the songs it claims for analysis
     * @param lease how long a claim lasts without renewal ({@link #renewLeases})
     */
    public SongRepository(DataSource dataSource, String owner, Duration lease) {
        this.dataSource = dataSource;
        this.jdbc = new Jdbc(dataSource);
        this.owner = owner;
        this.lease = lease;
    }

    public String owner() {
        return owner;
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
        return queryOne("SELECT " + SONG_COLUMNS + SONGS_WITH_VIDEO + " WHERE songs.id = :id", Map.of("id", id));
    }

    public Optional<Song> findBySha256(String sha256) {
        return queryOne("SELECT " + SONG_COLUMNS + SONGS_WITH_VIDEO + " WHERE songs.sha256 = :sha", Map.of("sha", sha256));
    }

    public List<Song> list(int limit, int offset) {
        return query("SELECT " + SONG_COLUMNS + SONGS_WITH_VIDEO
                        + " ORDER BY songs.created_at DESC, songs.id LIMIT :limit OFFSET :offset",
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
     * Claims a song for an analysis by this instance: moves it to {@code analyzing} with this
     * instance as owner and a fresh lease, unless another live claim holds it. One conditional UPDATE,
     * so of several instances (or requests) exactly one wins.
     *
     * @return false when the song is missing or already being analysed under a live lease
     */
    public boolean claimForAnalysis(UUID id) {
        OffsetDateTime now = now();
        // analysis_source and fallback_reason stay: they describe the stored analysis until a new one replaces it
        return held(id, update("UPDATE songs SET status = :analyzing, progress = 0, error = NULL, "
                + "analysis_owner = :owner, analysis_lease_until = :until, updated_at = :now "
                + "WHERE id = :id AND (status <> :analyzing OR analysis_lease_until IS NULL OR analysis_lease_until < :now)",
                Map.of("analyzing", SongStatus.ANALYZING.value(), "owner", owner, "until", now.plus(lease),
                        "now", now, "id", id)) == 1);
    }

    /**
     * Takes over a song found unfinished ({@link #findUnfinished}), if it still is: the same conditional
     * claim, so a song another instance has just claimed (or is analysing under a live lease) stays its.
     */
    public boolean takeOver(UUID id, OffsetDateTime startedAt) {
        OffsetDateTime now = now();
        Map<String, Object> p = takeable(startedAt, now);
        p.put("analyzing", SongStatus.ANALYZING.value());
        p.put("until", now.plus(lease));
        p.put("id", id);
        return held(id, update("UPDATE songs SET status = :analyzing, progress = 0, error = NULL, "
                + "analysis_owner = :owner, analysis_lease_until = :until, updated_at = :now "
                + "WHERE id = :id AND " + TAKEABLE, p) == 1);
    }

    private boolean held(UUID id, boolean claimed) {
        if (claimed) {
            held.add(id);
        }
        return claimed;
    }

    /**
     * This instance no longer works on the song (its analysis ended, well or not): the lease is not
     * renewed any more, so a song whose analysis died here (the database went away mid-way) is taken
     * up again once its lease runs out.
     */
    public void release(UUID id) {
        if (id != null) {
            held.remove(id);
        }
    }

    /** Renews the leases of the songs this instance holds (queued here or being analysed). */
    public int renewLeases() {
        int renewed = 0;
        for (UUID id : held) {
            if (update("UPDATE songs SET analysis_lease_until = :until WHERE id = :id AND analysis_owner = :owner "
                    + "AND status = :analyzing", Map.of("until", now().plus(lease), "id", id, "owner", owner,
                    "analyzing", SongStatus.ANALYZING.value())) == 1) {
                renewed++;
            } else {
                held.remove(id); // finished, failed or taken over
            }
        }
        return renewed;
    }

    /**
     * The analysis of a claimed song really starts: counts the run. Fails when the claim is no longer
     * this instance's (its lease expired and another instance took the song over).
     */
    public void beginAnalysis(UUID id) {
        if (update("UPDATE songs SET analysis_runs = analysis_runs + 1, analysis_lease_until = :until "
                + "WHERE id = :id AND status = :analyzing AND analysis_owner = :owner",
                Map.of("until", now().plus(lease), "id", id, "analyzing", SongStatus.ANALYZING.value(),
                        "owner", owner)) != 1) {
            throw new ClaimLostException(id, owner);
        }
    }

    public void updateProgress(UUID id, int progress) {
        update("UPDATE songs SET progress = :progress, updated_at = :now WHERE id = :id AND status = :analyzing "
                + "AND analysis_owner = :owner", Map.of("progress", Math.max(0, Math.min(100, progress)), "now", now(),
                "id", id, "analyzing", SongStatus.ANALYZING.value(), "owner", owner));
    }

    /** Marks this instance's analysis of the song failed; a song another instance has taken over stays its. */
    public void markFailed(UUID id, String error) {
        Map<String, Object> p = new HashMap<>();
        p.put("failed", SongStatus.FAILED.value());
        p.put("error", Jdbc.fit(error, 2000));
        p.put("now", now());
        p.put("id", id);
        p.put("analyzing", SongStatus.ANALYZING.value());
        p.put("owner", owner);
        update("UPDATE songs SET status = :failed, error = :error, analysis_lease_until = NULL, updated_at = :now "
                + "WHERE id = :id AND status = :analyzing AND analysis_owner = :owner", p);
    }

    /**
     * Songs a crash or restart left behind: never claimed and last touched before this run started (or
     * longer ago than a lease), or caught mid-analysis by an instance whose lease has expired. Each must
     * still be taken with {@link #takeOver}: another instance may be quicker.
     */
    public List<UUID> findUnfinished(OffsetDateTime startedAt) {
        return jdbc.query("SELECT id FROM songs WHERE " + TAKEABLE + " ORDER BY created_at LIMIT 100",
                takeable(startedAt, now()), rs -> rs.getObject(1, UUID.class));
    }

    private Map<String, Object> takeable(OffsetDateTime startedAt, OffsetDateTime now) {
        OffsetDateTime staleUpload = now.minus(lease);
        Map<String, Object> p = new HashMap<>();
        p.put("before", staleUpload.isAfter(startedAt) ? staleUpload : startedAt);
        p.put("now", now);
        p.put("owner", owner);
        p.put("startedAt", startedAt);
        return p;
    }

    /** How often the song's analysis has started (a counter for operators and the scale-out test). */
    public int analysisRuns(UUID id) {
        return jdbc.queryOne("SELECT analysis_runs FROM songs WHERE id = :id", Map.of("id", id), rs -> rs.getInt(1))
                .orElse(0);
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
            p.put("reason", Jdbc.fit(analysis.fallbackReason(), 1000));
            p.put("now", now());
            p.put("id", id);
            p.put("analyzing", SongStatus.ANALYZING.value());
            p.put("owner", owner);
            int n = Jdbc.update(c, "UPDATE songs SET bpm = :bpm, beat_times = :beats, duration_sec = :duration, "
                    + "status = :analyzed, progress = 100, analysis_source = :source, fallback_reason = :reason, "
                    + "error = NULL, analyzed_at = :now, updated_at = :now, analysis_lease_until = NULL, "
                    // clips are planned next; if that does not happen now, the relay does it later
                    + "clips_requested_at = :now WHERE id = :id AND status = :analyzing AND analysis_owner = :owner", p);
            if (n != 1) {
                // another instance took the song over: its analysis counts, this one is rolled back
                throw new ClaimLostException(id, owner);
            }
            return n;
        });
    }

    public Optional<SongAnalysis> findAnalysis(UUID id) {
        try (Connection c = dataSource.getConnection()) {
            String beats;
            double bpm;
            double duration;
            String source;
            String reason;
            // the last stored analysis, also while a new one runs or after it failed
            try (PreparedStatement ps = NamedSql.of("SELECT bpm, beat_times, duration_sec, analysis_source, "
                    + "fallback_reason FROM songs WHERE id = :id AND analyzed_at IS NOT NULL")
                    .prepare(c, Map.of("id", id));
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
