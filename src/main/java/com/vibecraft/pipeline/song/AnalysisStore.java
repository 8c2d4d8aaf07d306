package com.vibecraft.pipeline.song;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vibecraft.pipeline.analysis.Genre;
import com.vibecraft.pipeline.analysis.Mood;
import com.vibecraft.pipeline.analysis.Section;
import com.vibecraft.pipeline.analysis.SongAnalysis;
import com.vibecraft.pipeline.analysis.SongDescriber;
import com.vibecraft.pipeline.analysis.SongKey;
import com.vibecraft.pipeline.analysis.detector.KeyDetector.MusicalKey;
import com.vibecraft.pipeline.storage.Jdbc;
import com.vibecraft.pipeline.storage.NamedSql;
import com.vibecraft.pipeline.storage.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The songs' stored analyses (beats, BPM, sections). A new analysis is stored only under the
 * analysing instance's claim ({@link AnalysisClaims}); the last stored one stays readable while a new
 * one runs or after it failed.
 */
public class AnalysisStore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };

    private final DataSource dataSource;
    private final Jdbc jdbc;
    private final String owner;

    /** @param owner the instance whose claim a stored analysis must still hold ({@link AnalysisClaims#owner}) */
    public AnalysisStore(DataSource dataSource, String owner) {
        this.dataSource = dataSource;
        this.jdbc = new Jdbc(dataSource);
        this.owner = owner;
    }

    /** Stores the analysis and marks the song analysed, in one transaction. */
    public void saveAnalysis(UUID id, SongAnalysis analysis) {
        String beats = json(analysis.beatTimes());
        jdbc.inTransaction(c -> {
            Jdbc.update(c, "DELETE FROM sections WHERE song_id = :id", Map.of("id", id));
            NamedSql insert = NamedSql.of("INSERT INTO sections (song_id, id, section_index, type, type_soft, "
                    + "display_name, raw_label, repetition_group, start_sec, end_sec, confidence, energy, section_key, "
                    + "energy_level, mood_tags) VALUES (:songId, :id, :index, :type, :typeSoft, :displayName, :rawLabel, "
                    + ":repetitionGroup, :startSec, :endSec, :confidence, :energy, :key, :energyLevel, :moodTags)");
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
                    p.put("key", s.key());
                    p.put("energyLevel", s.energyLevel());
                    p.put("moodTags", json(s.moodTags()));
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
            p.put("key", analysis.key() == null ? null : analysis.key().name());
            p.put("keyConfidence", analysis.key() == null ? null : analysis.key().confidence());
            p.put("mood", json(analysis.mood()));
            p.put("genre", json(analysis.genre()));
            p.put("now", Jdbc.now());
            p.put("id", id);
            p.put("analyzing", SongStatus.ANALYZING.value());
            p.put("owner", owner);
            int n = Jdbc.update(c, "UPDATE songs SET bpm = :bpm, beat_times = :beats, duration_sec = :duration, "
                    + "status = :analyzed, progress = 100, analysis_source = :source, fallback_reason = :reason, "
                    + "song_key = :key, key_confidence = :keyConfidence, mood = :mood, genre = :genre, "
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
            SongKey key;
            Mood mood;
            Genre genre;
            // the last stored analysis, also while a new one runs or after it failed
            try (PreparedStatement ps = NamedSql.of("SELECT bpm, beat_times, duration_sec, analysis_source, "
                    + "fallback_reason, song_key, key_confidence, mood, genre FROM songs WHERE id = :id "
                    + "AND analyzed_at IS NOT NULL")
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
                key = songKey(rs.getString(6), rs.getDouble(7));
                mood = read(rs.getString(8), Mood.class);
                genre = read(rs.getString(9), Genre.class);
            }
            List<Section> sections = new ArrayList<>();
            try (PreparedStatement ps = NamedSql.of("SELECT id, section_index, type, type_soft, display_name, "
                    + "raw_label, repetition_group, start_sec, end_sec, confidence, energy, section_key, energy_level, "
                    + "mood_tags FROM sections "
                    + "WHERE song_id = :id ORDER BY section_index").prepare(c, Map.of("id", id));
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sections.add(new Section(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getInt(6), rs.getInt(7), rs.getDouble(8), rs.getDouble(9),
                            rs.getDouble(10), rs.getDouble(11), rs.getString(12), rs.getDouble(13),
                            rs.getString(14) == null ? List.of() : JSON.readValue(rs.getString(14), STRINGS)));
                }
            }
            List<Double> beatTimes = beats == null ? List.of()
                    : JSON.readValue(beats, new TypeReference<List<Double>>() { });
            return Optional.of(new SongAnalysis(id, duration, bpm, beatTimes, sections, source, reason, key, mood,
                    genre));
        } catch (SQLException | JsonProcessingException e) {
            throw new StorageException("Could not read the analysis of song " + id, e);
        }
    }

    private static String json(Object value) {
        try {
            return value == null ? null : JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(String json, Class<T> type) throws JsonProcessingException {
        return json == null ? null : JSON.readValue(json, type);
    }

    private static SongKey songKey(String name, double confidence) {
        MusicalKey k = MusicalKey.parse(name);
        return k == null ? null : SongDescriber.toSongKey(new MusicalKey(k.tonic(), k.minor(), confidence));
    }
}
