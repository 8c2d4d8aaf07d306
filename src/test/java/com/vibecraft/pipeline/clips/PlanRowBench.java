package com.vibecraft.pipeline.clips;

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
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What a clip ledger that writes one row per plan would cost, beside {@link PlanWriteBench}'s 36 rows
 * (issue 13 item 5, README "Performance"): the same 200 songs re-planned at once from as many threads on
 * the embedded H2 file database as the service opens it, each plan written as one row holding its 36
 * clips as JSON text (the song's previous plan row deleted in the same transaction), then marked sent.
 * A table of its own, not the service's schema: a measurement for a design that is not built. Prints
 * each round's wall time and the median of the rounds after the first two.
 *
 * <pre>
 * mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) com.vibecraft.pipeline.clips.PlanRowBench [threads] [rounds] [varchar|clob]
 * </pre>
 */
public final class PlanRowBench {

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
            double[] wallMs = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                ExecutorService pool = Executors.newFixedThreadPool(threads);
                long t0 = System.nanoTime();
                List<Future<?>> plans = new ArrayList<>();
                for (UUID song : songs) {
                    plans.add(pool.submit(() -> {
                        planAndMark(ds, song);
                        return null;
                    }));
                }
                for (Future<?> f : plans) {
                    f.get();
                }
                wallMs[round] = (System.nanoTime() - t0) / 1e6;
                pool.shutdown();
                System.out.printf("round %2d: %d plans of %d clips as one %s row each + their marks in %6.0f ms (%.0f jobs/s)%n",
                        round + 1, PlanWriteBench.SONGS, PlanWriteBench.CLIPS, column, wallMs[round],
                        PlanWriteBench.SONGS * PlanWriteBench.CLIPS / (wallMs[round] / 1000));
            }
            if (rounds > 2) {
                double[] warm = Arrays.copyOfRange(wallMs, 2, rounds);
                Arrays.sort(warm);
                double median = warm[warm.length / 2];
                System.out.printf("median of rounds 3-%d: %.0f ms = %.0f jobs/s, %d threads%n", rounds, median,
                        PlanWriteBench.SONGS * PlanWriteBench.CLIPS / (median / 1000), threads);
            }
        }
    }

    private static void planAndMark(HikariDataSource ds, UUID song) throws SQLException {
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
                insert.setString(3, clipsJson());
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

    /** The 36 clips of {@link PlanWriteBench}'s plan, with fresh clip and job ids, as JSON. */
    private static String clipsJson() {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < PlanWriteBench.CLIPS; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"id\":\"").append(UUID.randomUUID()).append("\",\"jobId\":\"").append(UUID.randomUUID())
                    .append("\",\"sectionId\":\"s").append(i / 3).append("\",\"sectionType\":\"verse\",\"displayName\":\"Verse ")
                    .append(i / 3 + 1).append("\",\"startSec\":").append(i * 5.0).append(",\"endSec\":").append(i * 5.0 + 5)
                    .append(",\"fps\":8,\"numFrames\":40,\"status\":\"queued\",\"attempts\":0,\"prompt\":\"Verse ")
                    .append(i / 3 + 1).append(" of a song in A minor at 120 BPM, energetic synth pop with a driving beat, neon city ")
                    .append("at night, shot ").append(i).append(" of the section, cinematic, slow dolly\"}");
        }
        return json.append(']').toString();
    }
}
