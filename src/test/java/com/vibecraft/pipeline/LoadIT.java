package com.vibecraft.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.vibecraft.pipeline.support.Http;
import com.vibecraft.pipeline.support.TestAudio;
import com.vibecraft.pipeline.support.TestEnvironment;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;
import redis.embedded.core.RedisServerBuilder;

/**
 * Issue 6's load suite on the packaged jar (README "Performance"). Sizes come from system properties:
 * the defaults are a short run for every {@code mvn verify}; {@code -Pload} sets the full sizes (200
 * concurrent uploads of 3-minute songs, 20 s read phases). Three measurements, one report
 * (stdout and target/load-report.txt):
 * <ol>
 * <li>N uploads at once → all {@code analyzed}: songs/minute, p50/p95/p99 upload-to-analysed, the
 * service's peak heap (JMX) and CPU-seconds per song against the single-song {@code bench} figure;</li>
 * <li>reads under a fixed-concurrency Java client: GET /songs/{id} and /clips/status against a bare
 * Vert.x hello server in this JVM (the ceiling);</li>
 * <li>enqueue: re-plans of K songs at once, clip jobs/s until the Redis stream holds them all, in
 * several rounds (the first also pays for the JIT), with the CPU the service, this JVM and Redis spent
 * in each, against redis-benchmark XADD on the same Redis.</li>
 * </ol>
 * The service runs on its embedded H2 database unless {@code -Dload.database-url=jdbc:postgresql://…}
 * (with {@code -Dload.database-user}, default postgres) points it at an empty PostgreSQL database.
 * The built-in clip worker is off: phase 1 measures ingest + analysis + planning only, and in phase 3
 * the test itself plays an external worker that reports every job completed so the songs can be
 * re-planned. Only correctness is asserted (everything analysed, every job on the stream, no error
 * answers), never timing.
 */
class LoadIT {

    static final int SONGS = Integer.getInteger("load.songs", 16);
    static final int SONG_SEC = Integer.getInteger("load.song-sec", 30);
    static final int READ_SEC = Integer.getInteger("load.read-sec", 5);
    static final int READ_THREADS = Integer.getInteger("load.read-threads", 32);
    static final int REPLAN_SONGS = Math.min(SONGS, Integer.getInteger("load.replan-songs", SONGS));
    static final int ENQUEUE_ROUNDS = Math.max(1, Integer.getInteger("load.enqueue-rounds", 3));
    static final String DATABASE_URL = System.getProperty("load.database-url", "").trim();
    static final int RATE = 22050;
    static final String PREFIX = "load";

    @TempDir
    Path workDir;
    Process service;
    RedisServer redis;
    int redisPort;
    int port;
    int jmxPort;
    final List<String> report = new ArrayList<>();
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @AfterEach
    void stopAll() throws Exception {
        if (Files.exists(workDir.resolve("service.log"))) {
            Files.copy(workDir.resolve("service.log"), Path.of("target", "load-service.log"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        if (service != null && service.isAlive()) {
            service.destroy();
            service.waitFor(30, TimeUnit.SECONDS);
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @Test
    void uploadsReadsAndEnqueueUnderLoad() throws Exception {
        line("Vibecraft load report — %s, %d cores, %d songs of %d s (%d distinct bytes each), worker off, %s",
                java.time.Instant.now(), Runtime.getRuntime().availableProcessors(), SONGS, SONG_SEC, SONGS,
                DATABASE_URL.isEmpty() ? "embedded H2" : DATABASE_URL);
        List<Path> songs = generateSongs();

        // the single-song analysis figure, before the service runs (nothing else of ours uses the cores)
        double benchCpu = bench(songs.get(0));

        redisPort = TestEnvironment.freePort();
        port = TestEnvironment.freePort();
        jmxPort = TestEnvironment.freePort();
        startRedis();
        startService();
        String base = "http://127.0.0.1:" + port;

        try (JMXConnector jmx = JMXConnectorFactory.connect(
                new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi"));
             JedisPooled jedis = new JedisPooled(URI.create("redis://127.0.0.1:" + redisPort))) {
            MBeanServerConnection mbeans = jmx.getMBeanServerConnection();
            List<String> ids = uploads(base, songs, mbeans, benchCpu);
            reads(base, ids.get(0));
            enqueue(base, ids, jedis);
        } finally {
            String text = String.join("\n", report) + "\n";
            System.out.println("\n===== LOAD REPORT =====\n" + text + "=======================");
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "load-report.txt"), text);
        }
    }

    // ------------------------------------------------------------------ 1. uploads

    private List<String> uploads(String base, List<Path> songs, MBeanServerConnection mbeans, double benchCpu)
            throws Exception {
        for (ObjectName pool : mbeans.queryNames(new ObjectName("java.lang:type=MemoryPool,*"), null)) {
            mbeans.invoke(pool, "resetPeakUsage", null, null);
        }
        ProcessHandle proc = ProcessHandle.of(service.pid()).orElseThrow();
        Duration cpu0 = proc.info().totalCpuDuration().orElseThrow();

        long[] started = new long[SONGS];
        String[] ids = new String[SONGS];
        ExecutorService pool = Executors.newFixedThreadPool(SONGS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < SONGS; i++) {
            int n = i;
            sent.add(pool.submit(() -> {
                go.await();
                started[n] = System.nanoTime();
                HttpResponse<String> r = client.send(multipart(base + "/api/v1/songs", "load-" + n + ".wav", songs.get(n)),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(201, r.statusCode(), "upload " + n + ": " + r.body());
                ids[n] = Http.JSON.readTree(r.body()).path("id").asText();
                return null;
            }));
        }
        long t0 = System.nanoTime();
        go.countDown();
        for (Future<?> f : sent) {
            f.get(10, TimeUnit.MINUTES);
        }
        pool.shutdown();
        long uploadsDone = System.nanoTime();

        // every song's analysed moment, from the list endpoint polled for all of them at once
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < SONGS; i++) {
            index.put(ids[i], i);
        }
        long[] analysed = new long[SONGS];
        int done = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        Map<String, String> last = Map.of();
        while (done < SONGS) {
            assertTrue(System.nanoTime() < deadline, "not all analysed in 30 minutes: " + last);
            assertTrue(service.isAlive(), "the service died:\n" + log());
            long now = System.nanoTime();
            last = statuses(base);
            for (Map.Entry<String, String> e : last.entrySet()) {
                Integer i = index.get(e.getKey());
                assertTrue(!e.getValue().equals("failed"), "song " + e.getKey() + " failed:\n" + log());
                if (i != null && analysed[i] == 0 && e.getValue().equals("analyzed")) {
                    analysed[i] = now;
                    done++;
                }
            }
            Thread.sleep(100);
        }
        long t1 = Arrays.stream(analysed).max().orElseThrow();
        Duration cpu = proc.info().totalCpuDuration().orElseThrow().minus(cpu0);

        long peakPools = 0;
        for (ObjectName p : mbeans.queryNames(new ObjectName("java.lang:type=MemoryPool,*"), null)) {
            if ("HEAP".equals(String.valueOf(mbeans.getAttribute(p, "Type")))) {
                javax.management.openmbean.CompositeData peak =
                        (javax.management.openmbean.CompositeData) mbeans.getAttribute(p, "PeakUsage");
                peakPools += (Long) peak.get("used");
            }
        }
        javax.management.openmbean.CompositeData heap = (javax.management.openmbean.CompositeData) mbeans.getAttribute(
                new ObjectName("java.lang:type=Memory"), "HeapMemoryUsage");

        double[] latency = new double[SONGS];
        for (int i = 0; i < SONGS; i++) {
            latency[i] = (analysed[i] - started[i]) / 1e9;
        }
        Arrays.sort(latency);
        double minutes = (t1 - t0) / 60e9;
        double cpuPerSong = cpu.toMillis() / 1000.0 / SONGS;
        line("");
        line("1. UPLOADS: %d concurrent uploads of %d-s songs (%.1f MB each), all analysed", SONGS, SONG_SEC,
                Files.size(songs.get(0)) / 1048576.0);
        line("   all uploads answered 201 after       %8.1f s", (uploadsDone - t0) / 1e9);
        line("   last song analysed after             %8.1f s", (t1 - t0) / 1e9);
        line("   throughput                           %8.1f songs/minute", SONGS / minutes);
        line("   upload start -> analyzed   p50 %.1f s   p95 %.1f s   p99 %.1f s   max %.1f s",
                pct(latency, 50), pct(latency, 95), pct(latency, 99), latency[SONGS - 1]);
        line("   service peak heap (sum of heap pools' peaks) %.0f MB (max heap %.0f MB)", peakPools / 1048576.0,
                ((Long) heap.get("max")) / 1048576.0);
        line("   service CPU                          %8.1f s = %.2f s per song", cpu.toMillis() / 1000.0, cpuPerSong);
        line("   bench, one song, 1 processor          %8.2f s analysis CPU (cpu s column of `bench`)", benchCpu);
        line("   ratio service CPU per song / bench   %8.2f x", cpuPerSong / benchCpu);
        return List.of(ids);
    }

    // ------------------------------------------------------------------ 2. reads

    private void reads(String base, String songId) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            int helloPort = TestEnvironment.freePort();
            vertx.createHttpServer().requestHandler(r -> r.response().putHeader("Content-Type", "application/json")
                    .end("{\"hello\":\"world\"}")).listen(helloPort, "127.0.0.1").toCompletionStage()
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            line("");
            line("2. READS: %d client threads (java.net.http, keep-alive), %d s each; client, service and the hello "
                    + "server share the cores", READ_THREADS, READ_SEC);
            ReadResult hello = readLoad("http://127.0.0.1:" + helloPort + "/hello");
            ReadResult song = readLoad(base + "/api/v1/songs/" + songId);
            ReadResult status = readLoad(base + "/api/v1/songs/" + songId + "/clips/status");
            line("   %-38s %10s %9s %9s %8s", "endpoint", "req/s", "p50 ms", "p99 ms", "vs hello");
            for (Map.Entry<String, ReadResult> e : List.of(Map.entry("bare Vert.x hello (ceiling)", hello),
                    Map.entry("GET /api/v1/songs/{id}", song), Map.entry("GET /api/v1/songs/{id}/clips/status", status))) {
                ReadResult r = e.getValue();
                line("   %-38s %10.0f %9.2f %9.2f %7.0f%%", e.getKey(), r.rps, r.p50, r.p99, 100 * r.rps / hello.rps);
            }
            line("   clips/status carried %d clips", Http.JSON.readTree(Http.get(base + "/api/v1/songs/" + songId
                    + "/clips/status").body()).path("clips").size());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    record ReadResult(double rps, double p50, double p99) {
    }

    private ReadResult readLoad(String url) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build();
        // one second of warm-up (JIT, connections), not counted
        runReads(request, 1);
        List<long[]> perThread = runReads(request, READ_SEC);
        int total = perThread.stream().mapToInt(a -> a.length).sum();
        double[] all = new double[total];
        int k = 0;
        for (long[] a : perThread) {
            for (long v : a) {
                all[k++] = v / 1e6;
            }
        }
        Arrays.sort(all);
        return new ReadResult(total / (double) READ_SEC, pct(all, 50), pct(all, 99));
    }

    private List<long[]> runReads(HttpRequest request, int seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(READ_THREADS);
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicLong errors = new AtomicLong();
        Map<Integer, String> firstError = new ConcurrentHashMap<>();
        List<Future<long[]>> futures = new ArrayList<>();
        for (int t = 0; t < READ_THREADS; t++) {
            futures.add(pool.submit(() -> {
                long[] lat = new long[1024];
                int n = 0;
                while (System.nanoTime() < end) {
                    long s = System.nanoTime();
                    HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    long d = System.nanoTime() - s;
                    if (r.statusCode() != 200) {
                        errors.incrementAndGet();
                        firstError.putIfAbsent(r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
                    }
                    if (n == lat.length) {
                        lat = Arrays.copyOf(lat, n * 2);
                    }
                    lat[n++] = d;
                }
                return Arrays.copyOf(lat, n);
            }));
        }
        List<long[]> out = new ArrayList<>();
        for (Future<long[]> f : futures) {
            out.add(f.get(seconds + 60L, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertEquals(0, errors.get(), request.uri() + " answered errors: " + firstError);
        return out;
    }

    // ------------------------------------------------------------------ 3. enqueue

    private void enqueue(String base, List<String> ids, JedisPooled jedis) throws Exception {
        String stream = PREFIX + ":clip-jobs";
        // every planned clip's job is on the stream once (the send follows the commit at once; allow a relay round)
        Map<String, Integer> clipsPerSong = new HashMap<>();
        int planned = 0;
        for (String id : ids) {
            int n = Http.get(base + "/api/v1/songs/" + id).json().path("clips").path("total").asInt();
            assertTrue(n > 0, "song " + id + " has no clips");
            clipsPerSong.put(id, n);
            planned += n;
        }
        awaitStreamLength(jedis, stream, planned, Duration.ofSeconds(60));
        assertEquals(planned, jedis.xlen(stream), "every planned clip's job is on the stream exactly once");

        List<String> replan = ids.subList(0, REPLAN_SONGS);
        int expected = replan.stream().mapToInt(clipsPerSong::get).sum();
        line("");
        line("3. ENQUEUE: %d re-plans at once (POST /songs/{id}/clips) -> %d clip jobs on %s, %d rounds", REPLAN_SONGS,
                expected, stream, ENQUEUE_ROUNDS);
        StreamEntryID reported = null;
        List<Double> rates = new ArrayList<>();
        for (int round = 1; round <= ENQUEUE_ROUNDS; round++) {
            reported = completeEverySentJob(base, ids, jedis, stream, reported);
            Burst burst = replanBurst(base, replan, clipsPerSong, expected, jedis, stream);
            double jobsPerSec = expected / burst.seconds();
            Duration cpu = burst.serviceCpu();
            rates.add(jobsPerSec);
            line("   round %d%s: all jobs on the stream after %6.2f s = %.0f jobs/s", round,
                    round == 1 ? " (first burst after start)" : "", burst.seconds(), jobsPerSec);
            line("      CPU in it: service %.2f s (%.0f us per job), load client %.2f s, Redis %.2f s", cpu.toMillis() / 1000.0,
                    cpu.toNanos() / 1000.0 / expected, burst.clientCpu().toMillis() / 1000.0,
                    burst.redisCpu().toMillis() / 1000.0);
        }
        // the rounds after the first run on compiled code; the first also pays for the JIT's warm-up
        List<Double> warm = new ArrayList<>(rates.subList(1, rates.size()));
        warm.sort(null);
        double median = warm.isEmpty() ? rates.get(0) : warm.get(warm.size() / 2);
        Double xadd = redisBenchmark();
        if (xadd == null) {
            line("   redis-benchmark not found: the XADD comparison was skipped");
        } else {
            line("   redis-benchmark XADD (50 clients)    %8.0f req/s on the same Redis", xadd);
            line("   ratio enqueue / raw XADD, round 1    %8.1f %%", 100 * rates.get(0) / xadd);
            if (ENQUEUE_ROUNDS > 1) {
                line("   ratio enqueue / raw XADD, median of rounds 2-%d %5.1f %%", ENQUEUE_ROUNDS, 100 * median / xadd);
            }
        }
    }

    /**
     * The test plays an external worker: every job on the stream after {@code after} is reported
     * completed, so the songs may be re-planned. Returns the last entry reported.
     */
    private StreamEntryID completeEverySentJob(String base, List<String> ids, JedisPooled jedis, String stream,
                                               StreamEntryID after) throws Exception {
        StreamEntryID last = after;
        for (StreamEntry e : jedis.xrange(stream, after == null ? null : new StreamEntryID(after.getTime(),
                after.getSequence() + 1), (StreamEntryID) null)) {
            jedis.xadd(PREFIX + ":clip-results", StreamEntryID.NEW_ENTRY, Map.of("clipId", e.getFields().get("clipId"),
                    "jobId", e.getFields().get("jobId"), "status", "completed",
                    "videoUrl", "http://127.0.0.1:1/load/" + e.getFields().get("clipId") + ".mp4"));
            last = e.getID();
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        for (String id : ids) {
            while (true) {
                JsonNode c = Http.get(base + "/api/v1/songs/" + id).json().path("clips");
                if (c.path("completed").asInt() == c.path("total").asInt()) {
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "the completed results were not applied: " + c);
                Thread.sleep(100);
            }
        }
        return last;
    }

    /** A re-plan burst: its time and the CPU the service, this JVM (the load client) and Redis spent in it. */
    private record Burst(double seconds, Duration serviceCpu, Duration clientCpu, Duration redisCpu) {
    }

    private static Duration cpu(Optional<ProcessHandle> process) {
        return process.flatMap(p -> p.info().totalCpuDuration()).orElse(Duration.ZERO);
    }

    /** The Redis server this test started (a child process), if the platform names it. */
    private static Optional<ProcessHandle> redisProcess() {
        return ProcessHandle.current().children()
                .filter(p -> p.info().command().orElse("").contains("redis-server")).findFirst();
    }

    /** Re-plans the songs at once: the time until the stream holds all their jobs, and the CPU spent in it. */
    private Burst replanBurst(String base, List<String> replan, Map<String, Integer> clipsPerSong, int expected,
                               JedisPooled jedis, String stream) throws Exception {
        long before = jedis.xlen(stream);
        ExecutorService pool = Executors.newFixedThreadPool(replan.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> posts = new ArrayList<>();
        for (String id : replan) {
            posts.add(pool.submit(() -> {
                go.await();
                return client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/songs/" + id + "/clips"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode();
            }));
        }
        Optional<ProcessHandle> proc = ProcessHandle.of(service.pid());
        Optional<ProcessHandle> self = Optional.of(ProcessHandle.current());
        Optional<ProcessHandle> redisProc = redisProcess();
        Duration service0 = cpu(proc);
        Duration client0 = cpu(self);
        Duration redis0 = cpu(redisProc);
        long t0 = System.nanoTime();
        go.countDown();
        long t1 = awaitStreamLength(jedis, stream, before + expected, Duration.ofMinutes(5));
        Burst burst = new Burst((t1 - t0) / 1e9, cpu(proc).minus(service0), cpu(self).minus(client0),
                cpu(redisProc).minus(redis0));
        for (Future<Integer> f : posts) {
            assertEquals(202, f.get(60, TimeUnit.SECONDS), "a re-plan was refused");
        }
        pool.shutdown();
        Thread.sleep(500);
        assertEquals(before + expected, jedis.xlen(stream), "each re-planned clip's job is on the stream exactly once");
        for (String id : replan) {
            JsonNode st = Http.get(base + "/api/v1/songs/" + id + "/clips/status").json();
            assertEquals((int) clipsPerSong.get(id), st.path("queuedClips").asInt(), "re-planned clips queued: " + st);
        }
        return burst;
    }

    private long awaitStreamLength(JedisPooled jedis, String stream, long length, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (jedis.xlen(stream) < length) {
            assertTrue(System.nanoTime() < deadline, "the stream holds " + jedis.xlen(stream) + " jobs, expected "
                    + length + "\n" + log());
            Thread.sleep(2);
        }
        return System.nanoTime();
    }

    /** redis-benchmark's XADD rate against the Redis of this run, or null when it is not installed. */
    private Double redisBenchmark() throws Exception {
        Path exe = Path.of("/usr/bin/redis-benchmark");
        if (!Files.isExecutable(exe)) {
            return null;
        }
        Process p = new ProcessBuilder(exe.toString(), "-h", "127.0.0.1", "-p", String.valueOf(redisPort), "-n", "20000",
                "-q", "XADD", "loadit:bench", "*", "f", "v").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "redis-benchmark: " + out);
        Matcher m = Pattern.compile("([0-9.]+) requests per second").matcher(out);
        assertTrue(m.find(), "redis-benchmark printed no rate: " + out);
        return Double.parseDouble(m.group(1));
    }

    // ------------------------------------------------------------------ songs and bench

    /**
     * Three distinct generated minutes, made once; song i is those minutes in a rotated order cut to
     * SONG_SEC, with its number written into its first samples so no two songs share bytes (the
     * SHA-256 dedup would merge them). Written to files and streamed, never all in memory.
     */
    private List<Path> generateSongs() throws IOException {
        long t0 = System.nanoTime();
        byte[][] minutes = new byte[3][];
        for (int m = 0; m < 3; m++) {
            float[] f = TestAudio.abab(RATE, 7000L + m);
            ByteBuffer b = ByteBuffer.allocate(f.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : f) {
                b.putShort((short) Math.round(Math.max(-1, Math.min(1, v)) * 32767));
            }
            minutes[m] = b.array();
        }
        int dataBytes = SONG_SEC * RATE * 2;
        Path dir = Files.createDirectories(workDir.resolve("songs"));
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < SONGS; i++) {
            Path file = dir.resolve("load-" + i + ".wav");
            try (OutputStream o = Files.newOutputStream(file)) {
                ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
                h.put("RIFF".getBytes()).putInt(36 + dataBytes).put("WAVE".getBytes());
                h.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(RATE)
                        .putInt(RATE * 2).putShort((short) 2).putShort((short) 16);
                h.put("data".getBytes()).putInt(dataBytes);
                o.write(h.array());
                int left = dataBytes;
                for (int m = 0; left > 0; m++) {
                    byte[] minute = minutes[(i + m) % 3];
                    int n = Math.min(left, minute.length);
                    if (m == 0) {
                        byte[] first = Arrays.copyOf(minute, n);
                        // the song's number in the first two samples: inaudible, unique bytes
                        ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN).putShort((short) i).putShort((short) (i >> 16));
                        o.write(first);
                    } else {
                        o.write(minute, 0, n);
                    }
                    left -= n;
                }
            }
            out.add(file);
        }
        line("   (%d songs generated in %.1f s)", SONGS, (System.nanoTime() - t0) / 1e9);
        return out;
    }

    /** {@code java -XX:ActiveProcessorCount=1 -jar … bench <dir with one song>}: its analysis CPU seconds. */
    private double bench(Path song) throws Exception {
        Path dir = Files.createDirectories(workDir.resolve("bench"));
        Files.copy(song, dir.resolve(song.getFileName()));
        Process p = new ProcessBuilder(java(), "-XX:ActiveProcessorCount=1", "-jar", jar().toString(), "bench",
                dir.toString()).directory(workDir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0, "bench failed: " + out);
        // TOTAL (1 files)   <audio s> <cpu s> <x realtime> <peak MB>
        Matcher m = Pattern.compile("TOTAL \\(1 files\\)\\s+([0-9.]+)\\s+([0-9.]+)").matcher(out);
        assertTrue(m.find(), "no TOTAL line in bench's output: " + out);
        return Double.parseDouble(m.group(2));
    }

    // ------------------------------------------------------------------ service and Redis

    private void startService() throws Exception {
        // a fixed heap ceiling, so the peak shows what the service needs, not what a lazy collector lets pile up
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx" + System.getProperty("load.service-xmx", "1g"),
                "-Dcom.sun.management.jmxremote.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort, "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                "-Djava.rmi.server.hostname=127.0.0.1", "-Dcom.sun.management.jmxremote.authenticate=false",
                "-Dcom.sun.management.jmxremote.ssl=false"));
        // extra JVM options for the service only, e.g. a flight recording: -Dload.service-java-opts=-XX:StartFlightRecording=…
        String extra = System.getProperty("load.service-java-opts", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(Arrays.asList(extra.split("\\s+")));
        }
        command.addAll(List.of("-jar", jar().toString()));
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("service.log").toFile()));
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("VIBECRAFT_") || k.startsWith("AUDJUST_")
                || k.equals("DATABASE_URL") || k.equals("REDIS_URL"));
        env.put("VIBECRAFT_PORT", String.valueOf(port));
        env.put("REDIS_URL", "redis://127.0.0.1:" + redisPort);
        env.put("VIBECRAFT_REDIS_PREFIX", PREFIX);
        if (!DATABASE_URL.isEmpty()) {
            env.put("DATABASE_URL", DATABASE_URL);
            env.put("DATABASE_USER", System.getProperty("load.database-user", "postgres"));
        }
        env.put("VIBECRAFT_INBOX_ENABLED", "false");
        // ingest + analysis + planning only: no built-in worker takes the jobs off the stream
        env.put("VIBECRAFT_WORKER_ENABLED", "false");
        // a per-clip INFO line for thousands of clips would measure the log, not the pipeline
        env.put("VIBECRAFT_LOG_LEVEL", "warn");
        service = pb.start();
        Http.awaitHealthy("http://127.0.0.1:" + port, service, Duration.ofSeconds(90), this::log);
    }

    private void startRedis() throws IOException {
        Path dir = Files.createDirectories(workDir.resolve("redis"));
        redis = new RedisServerBuilder()
                .executableProvider(ExecutableProvider.newJarResourceProvider(dir.toFile()))
                .bind("127.0.0.1").port(redisPort)
                .setting("dir " + dir.toAbsolutePath())
                .setting("save \"\"").setting("appendonly no")
                .build();
        redis.start();
    }

    // ------------------------------------------------------------------ small pieces

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path jar() {
        return Path.of(System.getProperty("vibecraft.jar", "target/vibecraft-pipeline.jar")).toAbsolutePath();
    }

    /** A multipart upload streamed from the file (the songs are never all in memory). */
    private static HttpRequest multipart(String url, String filename, Path file) throws IOException {
        String boundary = "----vibecraft" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(10))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofFile(file), HttpRequest.BodyPublishers.ofByteArray(tail)))
                .build();
    }

    private Map<String, String> statuses(String base) {
        Map<String, String> m = new HashMap<>();
        for (int offset = 0; offset < SONGS; offset += 500) {
            for (JsonNode s : Http.get(base + "/api/v1/songs?limit=500&offset=" + offset).json()) {
                m.put(s.path("id").asText(), s.path("status").asText());
            }
        }
        return m;
    }

    private static double pct(double[] sorted, double p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private void line(String format, Object... args) {
        report.add(String.format(Locale.ROOT, format, args));
    }

    private String log() {
        try {
            String all = Files.readString(workDir.resolve("service.log"));
            return all.length() > 20_000 ? all.substring(all.length() - 20_000) : all;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
