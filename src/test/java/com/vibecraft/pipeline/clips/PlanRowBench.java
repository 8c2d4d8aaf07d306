package com.vibecraft.pipeline.clips;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vibecraft.pipeline.storage.Database;
import com.vibecraft.pipeline.support.TestEnvironment;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a clip ledger that writes one row per plan would cost, beside {@link PlanWriteBench}'s 36 rows
 * (issue 13 item 5, README "Performance"): the same 200 songs re-planned at once from as many threads on
 * the embedded H2 file database as the service opens it, each plan written as one row holding its 36
 * clips as JSON text (the song's previous plan row deleted in the same transaction), then marked sent;
 * the rounds are timed and printed as {@link PlanWriteBench#rounds} does.
 * A table of its own, not the service's schema: a measurement for a design that is not built.
 *
 * <pre>
 * mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) com.vibecraft.pipeline.clips.PlanRowBench [threads] [rounds] [varchar|clob]
 * </pre>
 */
public final class PlanRowBench {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PlanRowBench() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        // H2 keeps a VARCHAR in the row and moves a large CLOB out of it
        String column = args.length > 2 && args[2].equals("clob") ? "CLOB" : "VARCHAR(100000)";
        Path dir = Files.createTempDirectory("plan-row-bench");
        TestEnvironment.deleteOnExit(dir);
        try (HikariDataSource ds = Database.open("", null, null, 10, dir)) {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE bench_plan_rows (song_id UUID PRIMARY KEY, id UUID NOT NULL, clips " + column
                        + " NOT NULL, created_at TIMESTAMP WITH TIME ZONE NOT NULL, sent_at TIMESTAMP WITH TIME ZONE)");
                st.execute("CREATE INDEX bench_plan_rows_unsent_idx ON bench_plan_rows (sent_at, created_at)");
            }
            List<UUID> songs = new ArrayList<>();
            for (int i = 0; i < PlanWriteBench.SONGS; i++) {
                songs.add(UUID.randomUUID());
            }
            List<ClipDraft> drafts = PlanWriteBench.drafts();
            PlanWriteBench.rounds("plans of " + PlanWriteBench.CLIPS + " clips as one " + column + " row each + their marks",
                    threads, rounds, songs, () -> { }, song -> planAndMark(ds, song, clipsJson(drafts)));
        }
    }

    private static void planAndMark(HikariDataSource ds, UUID song, String clipsJson) throws SQLException {
        UUID plan = UUID.randomUUID();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM bench_plan_rows WHERE song_id = ?");
                 PreparedStatement insert = c.prepareStatement(
                         "INSERT INTO bench_plan_rows (song_id, id, clips, created_at) VALUES (?, ?, ?, CURRENT_TIMESTAMP)")) {
                delete.setObject(1, song);
                delete.executeUpdate();
                insert.setObject(1, song);
                insert.setObject(2, plan);
                insert.setString(3, clipsJson);
                insert.executeUpdate();
            }
            c.commit();
            c.setAutoCommit(true);
            try (PreparedStatement mark = c.prepareStatement(
                    "UPDATE bench_plan_rows SET sent_at = CURRENT_TIMESTAMP WHERE song_id = ? AND id = ?")) {
                mark.setObject(1, song);
                mark.setObject(2, plan);
                mark.executeUpdate();
            }
        }
    }

    /** {@link PlanWriteBench}'s drafts with fresh clip and job ids, as the plan row's JSON. */
    private static String clipsJson(List<ClipDraft> drafts) throws JsonProcessingException {
        List<Map<String, Object>> clips = new ArrayList<>();
        for (ClipDraft d : drafts) {
            clips.add(Map.of("id", UUID.randomUUID(), "jobId", UUID.randomUUID(), "status", "queued", "attempts", 0,
                    "draft", d));
        }
        return JSON.writeValueAsString(clips);
    }
}
