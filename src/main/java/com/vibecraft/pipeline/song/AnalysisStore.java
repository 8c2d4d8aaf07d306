package com.vibecraft.pipeline.song;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vibecraft.pipeline.analysis.Section;
import com.vibecraft.pipeline.analysis.SongAnalysis;
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
            p.put("now", Jdbc.now());
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

}
