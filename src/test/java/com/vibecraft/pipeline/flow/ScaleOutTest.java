package com.vibecraft.pipeline.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vibecraft.pipeline.App;
import com.vibecraft.pipeline.clips.Clip;
import com.vibecraft.pipeline.clips.ClipJob;
import com.vibecraft.pipeline.clips.ClipJobQueue;
import com.vibecraft.pipeline.clips.ClipLinks;
import com.vibecraft.pipeline.clips.ClipRepository;
import com.vibecraft.pipeline.clips.ClipResult;
import com.vibecraft.pipeline.clips.ClipStatus;
import com.vibecraft.pipeline.storage.Jdbc;
import com.vibecraft.pipeline.support.Await;
import com.vibecraft.pipeline.support.Http;
import com.vibecraft.pipeline.support.TestAudio;
import com.vibecraft.pipeline.support.TestEnvironment;
import com.vibecraft.pipeline.support.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Two instances of the service in one JVM (two Camel Mains on their own ports, with their own
 * instance ids) on one database, one Redis, one data directory and one inbox: 24 songs dropped at
 * once plus uploads to each are ingested, analysed and turned into clips exactly once, and the
 * clip jobs are spread over both built-in workers. Then the relay and the sweepers of both run at
 * the same moment over the same rows and still send, retry, reclaim and dead-letter each job once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutTest {

    static final int RATE = 22050;
    /** Enough for both instances to take files while the other works, and for the 40 clips the second test needs. */
    static final int INBOX_SONGS = 24;
    static final int UPLOADS_EACH = 3;

    TestRedis redis;
    String prefix;
    Path dataDir;
    Main a;
    Main b;
    String baseA;
    String baseB;
    Jdbc db;

    @BeforeAll
    void shared() throws Exception {
        redis = TestRedis.start();
        prefix = "scale-" + UUID.randomUUID();
        dataDir = TestEnvironment.prepare("scale", Map.ofEntries(
                Map.entry("vibecraft.redis.url", redis.url()),
                Map.entry("vibecraft.redis.prefix", prefix),
                // short leases, so the test also shows they are renewed under load
                Map.entry("vibecraft.analysis.lease-sec", "10"),
                Map.entry("vibecraft.analysis.heartbeat-sec", "2"),
                // few, cheap clips per song
                Map.entry("vibecraft.clips.min-sec", "6"),
                Map.entry("vibecraft.clips.max-sec", "12"),
                Map.entry("vibecraft.clips.fps", "2"),
                // clips at the service's size, not the other tests' 160x90: the spread over both workers
                // needs a clip to take longer than a worker's poll, or the first worker drains the stream
                // alone (seen on PostgreSQL: 60 of 60 clips by one worker)
                Map.entry("vibecraft.preview.size", "320x180"),
                // half the detector's work per song; the structure of these songs survives it
                Map.entry("vibecraft.analysis.max-sample-rate", "11025")));
        // each instance gets its own port below (a system property would win over those)
        System.clearProperty("vibecraft.port");
    }

    @AfterAll
    void stop() throws Exception {
        for (Main m : new Main[] {b, a}) {
            if (m != null) {
                m.stop();
            }
        }
        redis.close();
    }

    private static Main start(String id) throws Exception {
        Main main = new Main(App.class);
        int port = TestEnvironment.freePort();
        main.addOverrideProperty("vibecraft.port", String.valueOf(port));
        main.addOverrideProperty("vibecraft.instance-id", id);
        main.addOverrideProperty("camel.main.name", "vibecraft-" + id);
        main.start();
        return main;
    }

    private static String base(Main m) {
        return "http://127.0.0.1:" + m.getCamelContext().resolvePropertyPlaceholders("{{vibecraft.port}}");
    }

    private static <T> T bean(Main m, String name, Class<T> type) {
        return m.getCamelContext().getRegistry().lookupByNameAndType(name, type);
    }

    private static byte[] song(long seed) {
        return TestAudio.wav(Arrays.copyOf(TestAudio.abab(RATE, seed), RATE * 20), RATE);
    }

    @Test
    @Order(1)
    void songsDroppedAtOnceAndUploadsToBothAreEachProcessedOnce() throws Exception {
        a = start("a");
        baseA = base(a);
        db = new Jdbc(bean(a, "dataSource", DataSource.class));
        Path inbox = dataDir.resolve("inbox");
        Files.createDirectories(inbox);
        long t0 = System.nanoTime();

        // 24 songs at once: written under .part names, then renamed, as a producer does
        List<Path> parts = new ArrayList<>();
        for (int i = 0; i < INBOX_SONGS; i++) {
            parts.add(TestAudio.writeWav(inbox.resolve(String.format("inbox-%02d.wav.part", i)),
                    Arrays.copyOf(TestAudio.abab(RATE, 1000 + i), RATE * 20), RATE));
        }
        for (Path p : parts) {
            String name = p.getFileName().toString();
            Files.move(p, p.resolveSibling(name.substring(0, name.length() - ".part".length())));
        }
        // B starts while A is already analysing: it must not take A's songs at its start-up sweep
        awaitTrue(Duration.ofSeconds(60), () -> count("SELECT COUNT(*) FROM songs") >= 3, "A at work");
        b = start("b");
        baseB = base(b);

        ExecutorService uploads = Executors.newFixedThreadPool(2);
        List<Future<Integer>> statuses = new ArrayList<>();
        for (int i = 0; i < UPLOADS_EACH; i++) {
            byte[] wa = song(2000 + i);
            byte[] wb = song(3000 + i);
            String na = "upload-a-" + i + ".wav";
            String nb = "upload-b-" + i + ".wav";
            statuses.add(uploads.submit(() -> Http.upload(baseA, na, wa).status()));
            statuses.add(uploads.submit(() -> Http.upload(baseB, nb, wb).status()));
        }
        for (Future<Integer> s : statuses) {
            assertEquals(201, s.get());
        }
        uploads.shutdown();

        int songs = INBOX_SONGS + 2 * UPLOADS_EACH;
        awaitTrue(Duration.ofSeconds(300), () -> countWhere("status = 'analyzed'") == songs
                && count("SELECT COUNT(*) FROM clips") > 0
                && count("SELECT COUNT(*) FROM songs s WHERE NOT EXISTS (SELECT 1 FROM clips c WHERE c.song_id = s.id)") == 0
                && count("SELECT COUNT(*) FROM clips WHERE status <> 'completed'") == 0, "all songs analysed, all clips done");
        double seconds = (System.nanoTime() - t0) / 1e9;

        // the inbox: each file once in .done, nothing failed, nothing left
        try (Stream<Path> left = Files.list(inbox)) {
            assertEquals(List.of(), left.filter(Files::isRegularFile).toList(), "files left in the inbox");
        }
        Map<String, Long> done = namesIn(inbox.resolve(".done"));
        assertEquals(INBOX_SONGS, done.size(), "done: " + done);
        done.forEach((name, n) -> assertEquals(1L, n, name + " in .done"));
        assertEquals(Map.of(), namesIn(inbox.resolve(".failed")), ".failed");

        // one song row per file, each analysed once
        List<Map<String, Object>> rows = rows("SELECT original_filename, status, analysis_runs, analysis_owner FROM songs");
        assertEquals(songs, rows.size());
        assertEquals(songs, rows.stream().map(r -> r.get("original_filename")).distinct().count());
        for (Map<String, Object> r : rows) {
            assertEquals("analyzed", r.get("status"), r.toString());
            assertEquals(1, ((Number) r.get("analysis_runs")).intValue(), "analyses of " + r);
        }
        Map<Object, Long> analysedBy = rows.stream().collect(Collectors.groupingBy(r -> r.get("analysis_owner"),
                TreeMap::new, Collectors.counting()));
        // the claiming instance is the one that ingested the file: both took files from the shared inbox
        Map<Object, Long> inboxBy = rows.stream().filter(r -> String.valueOf(r.get("original_filename")).startsWith("inbox-"))
                .collect(Collectors.groupingBy(r -> r.get("analysis_owner"), TreeMap::new, Collectors.counting()));
        // exactly once is the point (asserted above); which instance wins each file is a race, and one
        // instance may well take all of them when it polls first
        assertEquals(INBOX_SONGS, inboxBy.values().stream().mapToLong(Long::longValue).sum(), "inbox files by instance: " + inboxBy);
        // an upload is analysed by the instance that received it
        for (Map<String, Object> r : rows) {
            String name = String.valueOf(r.get("original_filename"));
            if (name.startsWith("upload-")) {
                assertEquals(name.substring("upload-".length(), "upload-".length() + 1), r.get("analysis_owner"), name);
            }
        }

        // each clip completed once, its one job sent once, both workers busy
        List<Map<String, Object>> clips = rows("SELECT id, job_id, attempts, worker FROM clips");
        Map<String, Long> completions = countField(prefix + ":clip-results", "clipId");
        Map<String, Long> sends = countField(prefix + ":clip-jobs", "jobId");
        for (Map<String, Object> c : clips) {
            assertEquals(1, ((Number) c.get("attempts")).intValue(), c.toString());
            assertEquals(1L, completions.get(c.get("id").toString()), "results for clip " + c);
            assertEquals(1L, sends.get(c.get("job_id").toString()), "sends of job " + c);
        }
        assertEquals(clips.size(), completions.values().stream().mapToLong(Long::longValue).sum(), "extra results");
        assertEquals(clips.size(), sends.values().stream().mapToLong(Long::longValue).sum(), "extra jobs");
        assertTrue(redis.jedis().xrange(prefix + ":clip-results", (StreamEntryID) null, (StreamEntryID) null).stream()
                .allMatch(e -> "completed".equals(e.getFields().get("status"))), "failed results");
        assertEquals(0, redis.jedis().exists(prefix + ":clip-jobs:dead") ? redis.jedis().xlen(prefix + ":clip-jobs:dead") : 0);
        Map<Object, Long> byWorker = clips.stream().collect(Collectors.groupingBy(c -> c.get("worker"), TreeMap::new,
                Collectors.counting()));
        assertEquals(Set.of("a-worker", "b-worker"), byWorker.keySet(), "clips by worker: " + byWorker);

        System.out.printf("ScaleOutTest: %d songs (%d inbox, %d uploads) and %d clips in %.1f s; "
                + "inbox files by instance %s, analyses by instance %s, clips by worker %s%n", songs, INBOX_SONGS,
                2 * UPLOADS_EACH, clips.size(), seconds, inboxBy, analysedBy, byWorker);
    }

    @Test
    @Order(2)
    void relaysAndSweepersOfBothInstancesSettleEachJobOnce() throws Exception {
        // the workers and the scheduled sweeps stand still; the test runs both instances' steps at once
        for (Main m : new Main[] {a, b}) {
            for (String route : List.of("clip-worker", "clip-results", "clip-relay", "retry-failed-clips",
                    "reclaim-stalled-clip-jobs")) {
                m.getCamelContext().getRouteController().stopRoute(route);
            }
        }
        ClipRepository clipsA = bean(a, "clipRepository", ClipRepository.class);
        ClipJobQueue queueA = bean(a, "clipJobQueue", ClipJobQueue.class);
        ClipJobQueue queueB = bean(b, "clipJobQueue", ClipJobQueue.class);
        ClipDispatchSteps stepsA = bean(a, "clipDispatchSteps", ClipDispatchSteps.class);
        ClipDispatchSteps stepsB = bean(b, "clipDispatchSteps", ClipDispatchSteps.class);
        List<UUID> all = rows("SELECT id FROM clips ORDER BY id").stream()
                .map(r -> UUID.fromString(r.get("id").toString())).toList();
        assertTrue(all.size() >= 40, "clips: " + all.size());
        List<UUID> relayed = all.subList(0, 20);
        List<UUID> dead = all.subList(20, 30);
        List<UUID> due = all.subList(30, 40);

        // 1. the relay: rows not yet on the stream, seen by both relays, are sent once
        for (UUID id : relayed) {
            Clip c = clipsA.find(id).orElseThrow();
            assertTrue(clipsA.reissue(id, c.jobId(), List.of(ClipStatus.COMPLETED), true).isPresent());
        }
        // the relay leaves rows younger than 2 s to the first send: these are made older, as time would
        db.update("UPDATE clips SET updated_at = :past WHERE status = 'queued' AND job_sent_at IS NULL",
                Map.of("past", Jdbc.now().minusSeconds(3)));
        List<List<ClipJob>> seen = both(() -> relay(stepsA), () -> relay(stepsB));
        // which relay reads first is up to the scheduler: together they saw every row, and below each job went out once
        Set<UUID> seenClips = Stream.concat(seen.get(0).stream(), seen.get(1).stream()).map(ClipJob::clipId)
                .collect(Collectors.toSet());
        assertEquals(new HashSet<>(relayed), seenClips, "the relays saw " + seen.get(0).size() + " and " + seen.get(1).size());
        Map<String, Long> sends = countField(prefix + ":clip-jobs", "jobId");
        for (UUID id : relayed) {
            Clip c = clipsA.find(id).orElseThrow();
            assertEquals(1L, sends.get(c.jobId().toString()), "sends of " + c.jobId());
            assertEquals(ClipStatus.QUEUED, c.status());
        }
        assertEquals(0, count("SELECT COUNT(*) FROM clips WHERE status = 'queued' AND job_sent_at IS NULL"));

        // 2. the dead-letter sweep: clips out of attempts go to the dead-letter stream once
        for (UUID id : dead) {
            db.update("UPDATE clips SET status = 'failed', attempts = max_attempts, error = :error, "
                    + "dead_lettered_at = NULL WHERE id = :id", Map.of("error", "test: out of attempts", "id", id));
        }
        List<Integer> deadLettered = both(stepsA::deadLetterExhausted, stepsB::deadLetterExhausted);
        assertEquals(10, deadLettered.get(0) + deadLettered.get(1), "dead-lettered by A and B: " + deadLettered);
        Map<String, Long> deadEntries = countField(prefix + ":clip-jobs:dead", "clipId");
        for (UUID id : dead) {
            assertEquals(1L, deadEntries.get(id.toString()), "dead letters of " + id);
        }
        assertEquals(10, deadEntries.size());

        // 3. the retry sweep: failed clips whose backoff has passed get one new job each
        for (UUID id : due) {
            db.update("UPDATE clips SET status = 'failed', attempts = 1, next_attempt_at = :past WHERE id = :id",
                    Map.of("past", Jdbc.now().minusSeconds(1), "id", id));
        }
        List<List<ClipJob>> retried = both(stepsA::dueRetries, stepsB::dueRetries);
        List<UUID> retriedClips = Stream.concat(retried.get(0).stream(), retried.get(1).stream()).map(ClipJob::clipId).toList();
        assertEquals(new HashSet<>(due), new HashSet<>(retriedClips));
        assertEquals(due.size(), retriedClips.size(), "retried twice: " + retriedClips);

        // 4. the reclaim: jobs a dead worker received are taken over once, by one instance or the other
        List<ClipJobQueue.Delivery<ClipJob>> stolen = queueA.readJobs("dead-worker", 100, 0);
        assertEquals(20, stolen.size());
        ClipDispatchSteps reclaimA = shortVisibility(a);
        ClipDispatchSteps reclaimB = shortVisibility(b);
        Thread.sleep(1100);
        List<List<ClipJob>> reclaimed = both(reclaimA::reclaimStalled, reclaimB::reclaimStalled);
        List<UUID> reclaimedClips = Stream.concat(reclaimed.get(0).stream(), reclaimed.get(1).stream())
                .map(ClipJob::clipId).toList();
        assertEquals(new HashSet<>(relayed), new HashSet<>(reclaimedClips));
        assertEquals(relayed.size(), reclaimedClips.size(), "reclaimed twice: " + reclaimedClips);
        for (UUID id : relayed) {
            assertEquals(2, clipsA.find(id).orElseThrow().attempts(), "one reclaim counts one attempt");
        }
        assertEquals(0, queueA.pendingJobs(), "every stolen job was acknowledged");

        // 5. results a dead instance received but never applied are taken over by a live one
        UUID unknown = UUID.randomUUID();
        queueA.publishResult(ClipResult.failed(unknown, UUID.randomUUID(), "from a worker"));
        assertEquals(1, queueA.readResults("dead-results", 10, 0).size());
        Thread.sleep(300);
        List<ClipJobQueue.Delivery<ClipResult>> orphans = queueB.readResults("b-results", 10, 0, 200);
        assertEquals(List.of(unknown), orphans.stream().map(d -> d.message().clipId()).toList());
    }

    private static List<ClipJob> relay(ClipDispatchSteps steps) {
        List<ClipJob> jobs = steps.unsentJobs();
        jobs.forEach(steps::send);
        return jobs;
    }

    /** The instance's own dispatch steps, but with a 1 s visibility timeout. */
    private static ClipDispatchSteps shortVisibility(Main m) {
        return new ClipDispatchSteps(bean(m, "clipRepository", ClipRepository.class),
                bean(m, "clipJobQueue", ClipJobQueue.class), new ClipLinks(base(m)),
                m.getCamelContext().resolvePropertyPlaceholders("{{vibecraft.instance-id}}"), Duration.ofSeconds(1));
    }

    /** Runs both at the same moment (as far as two threads can) and returns both answers. */
    private static <T> List<T> both(Callable<T> first, Callable<T> second) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        try {
            Future<T> f1 = pool.submit(() -> {
                go.await();
                return first.call();
            });
            Future<T> f2 = pool.submit(() -> {
                go.await();
                return second.call();
            });
            go.countDown();
            return List.of(f1.get(), f2.get());
        } finally {
            pool.shutdownNow();
        }
    }

    private Map<String, Long> countField(String stream, String field) {
        List<StreamEntry> entries = redis.jedis().xrange(stream, (StreamEntryID) null, (StreamEntryID) null);
        return entries.stream().collect(Collectors.groupingBy(e -> e.getFields().get(field), Collectors.counting()));
    }

    /** File names in {@code dir} without their time-stamp prefix, with how often each occurs. */
    private static Map<String, Long> namesIn(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return Map.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString().replaceFirst("^\\d{8}-\\d{9}-", ""))
                    .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
        }
    }

    private long countWhere(String condition) {
        return count("SELECT COUNT(*) FROM songs WHERE " + condition);
    }

    private long count(String sql) {
        return db.queryOne(sql, Map.of(), rs -> rs.getLong(1)).orElseThrow();
    }

    private List<Map<String, Object>> rows(String sql) {
        return db.query(sql, Map.of(), rs -> {
            Map<String, Object> row = new HashMap<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                row.put(rs.getMetaData().getColumnLabel(i).toLowerCase(), rs.getObject(i));
            }
            return row;
        });
    }

    private static void awaitTrue(Duration timeout, Callable<Boolean> condition, String what) throws Exception {
        Await.until(timeout, 250, condition, () -> what);
    }
}
