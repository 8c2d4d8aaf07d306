package com.vibecraft.pipeline.clips;

import com.vibecraft.pipeline.song.NewSong;
import com.vibecraft.pipeline.song.SongRepository;
import com.vibecraft.pipeline.storage.Database;
import com.vibecraft.pipeline.support.TestEnvironment;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The database's share of LoadIT's enqueue phase, alone: 200 songs of 36 clips re-planned at once on
 * the embedded H2 file database as the service opens it (commits written before they return), each
 * plan followed by its send mark, from as many threads as the service's HTTP workers. No HTTP, no
 * Camel, no Redis. Prints each round's wall time and this JVM's CPU in it, then the median of the
 * rounds after the first two (JIT warm-up).
 *
 * <pre>
 * mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) com.vibecraft.pipeline.clips.PlanWriteBench [threads] [rounds]
 * </pre>
 */
public final class PlanWriteBench {

    static final int SONGS = 200;
    static final int CLIPS = 36;

    private PlanWriteBench() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Path dir = Files.createTempDirectory("plan-write-bench");
        TestEnvironment.deleteOnExit(dir);
        try (HikariDataSource ds = Database.open("", null, null, 10, dir)) {
            SongRepository songs = new SongRepository(ds);
            ClipRepository clips = new ClipRepository(ds, new RetryPolicy(3, Duration.ofSeconds(1), 2,
                    Duration.ofSeconds(10), 0));
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < SONGS; i++) {
                UUID id = UUID.randomUUID();
                songs.insert(new NewSong(id, "bench", "bench.wav", "audio/wav", "wav", 1,
                        id.toString().replace("-", "") + "0".repeat(32), "audio/" + id + ".wav", 180));
                ids.add(id);
            }
            List<ClipDraft> drafts = drafts();
            // as LoadIT's worker does before each round: every clip completed, so each song may be planned again
            rounds("plans of " + CLIPS + " clips + their marks", threads, rounds, ids, () -> {
                for (UUID id : ids) {
                    for (Clip c : clips.findBySong(id)) {
                        clips.complete(c.id(), c.jobId(), "http://127.0.0.1:1/" + c.id() + ".mp4");
                    }
                }
            }, id -> {
                ClipPlan plan = clips.planClips(id, drafts, false);
                clips.markPlanSent(id, plan.id());
            });
        }
    }

    /** A song's plan and its send mark, as one benchmark writes them. */
    interface PlanAndMark {
        void run(UUID song) throws Exception;
    }

    /** Work between rounds, outside the timed part. */
    interface BetweenRounds {
        void run() throws Exception;
    }

    /**
     * Times {@code rounds} rounds of every song planned and marked at once from {@code threads} threads:
     * prints each round's wall time and this JVM's CPU in it, then the median of the rounds after the
     * first two (JIT warm-up).
     */
    static void rounds(String what, int threads, int rounds, List<UUID> songs, BetweenRounds before,
                       PlanAndMark plan) throws Exception {
        double[] wallMs = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            before.run();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            long cpu0 = cpuMs();
            long t0 = System.nanoTime();
            List<Future<?>> plans = new ArrayList<>();
            for (UUID id : songs) {
                plans.add(pool.submit(() -> {
                    plan.run(id);
                    return null;
                }));
            }
            for (Future<?> f : plans) {
                f.get();
            }
            wallMs[round] = (System.nanoTime() - t0) / 1e6;
            long cpu = cpuMs() - cpu0;
            pool.shutdown();
            System.out.printf("round %2d: %d %s in %6.0f ms (%.0f jobs/s), JVM CPU %d ms%n",
                    round + 1, songs.size(), what, wallMs[round], songs.size() * CLIPS / (wallMs[round] / 1000), cpu);
        }
        if (rounds > 2) {
            double[] warm = Arrays.copyOfRange(wallMs, 2, rounds);
            Arrays.sort(warm);
            double median = warm[warm.length / 2];
            System.out.printf("median of rounds 3-%d: %.0f ms = %.0f jobs/s, %d threads%n", rounds, median,
                    songs.size() * CLIPS / (median / 1000), threads);
        }
    }

    private static long cpuMs() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO).toMillis();
    }

    static List<ClipDraft> drafts() {
        List<ClipDraft> drafts = new ArrayList<>();
        for (int i = 0; i < CLIPS; i++) {
            drafts.add(new ClipDraft(new PlannedClip("s" + (i / 3), i * 5.0, i * 5.0 + 5, i * 2, i * 2 + 2, 8, 40),
                    "verse", "Verse " + (i / 3 + 1), "Verse " + (i / 3 + 1) + " of a song in A minor at 120 BPM, energetic "
                    + "synth pop with a driving beat, neon city at night, shot " + i + " of the section, cinematic, slow dolly"));
        }
        return drafts;
    }
}
