package com.vibecraft.pipeline.clips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.vibecraft.pipeline.App;
import com.vibecraft.pipeline.support.Await;
import com.vibecraft.pipeline.support.Http;
import com.vibecraft.pipeline.support.StoppableRedis;
import com.vibecraft.pipeline.support.TestAudio;
import com.vibecraft.pipeline.support.TestEnvironment;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * With the built-in worker off, jobs wait on the stream; a Redis the test stops during planning
 * loses no clip (the relay sends every job once it is back); a worker that reads a job and dies is
 * replaced after the visibility timeout.
 */
@CamelMainTest(mainClass = App.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClipQueueFaultsTest {

    static final int RATE = 22050;
    static StoppableRedis redis;
    static JedisPooled jedis;

    @BeforeAll
    static void environment() throws Exception {
        redis = StoppableRedis.start();
        jedis = new JedisPooled(URI.create(redis.url()));
        Map<String, String> props = new HashMap<>();
        props.put("vibecraft.redis.url", redis.url());
        props.put("vibecraft.worker.enabled", "false");
        props.put("vibecraft.clips.visibility-timeout-sec", "1");
        props.put("vibecraft.clips.reclaim-poll-ms", "300");
        props.put("vibecraft.clips.relay-poll-ms", "300");
        TestEnvironment.prepare("faults", props);
    }

    @AfterAll
    static void stop() throws IOException {
        jedis.close();
        redis.close();
    }

    static String base() {
        return TestEnvironment.baseUrl();
    }

    private static String uploadAndAwaitAnalysis(double seconds) {
        byte[] wav = TestAudio.wav(TestAudio.abab(RATE, System.nanoTime()), RATE);
        if (seconds < 60) {
            wav = TestAudio.wav(java.util.Arrays.copyOf(TestAudio.abab(RATE, System.nanoTime()), (int) (RATE * seconds)), RATE);
        }
        String id = Http.upload(base(), "song.wav", wav).json().path("id").asText();
        Http.awaitSong(base(), id, Duration.ofSeconds(60), "analyzed");
        return id;
    }

    private static JsonNode awaitStatus(String songId, java.util.function.Predicate<JsonNode> done) throws Exception {
        return ClipFlowTest.awaitClips(songId, Duration.ofSeconds(30), done);
    }

    private static List<StreamEntry> entries(String songId) {
        try {
            return readEntries(songId);
        } catch (redis.clients.jedis.exceptions.JedisConnectionException e) {
            return readEntries(songId); // a pooled connection from before the restart
        }
    }

    private static List<StreamEntry> readEntries(String songId) {
        return jedis.xrange("vibecraft:clip-jobs", (StreamEntryID) null, (StreamEntryID) null).stream()
                .filter(e -> songId.equals(e.getFields().get("songId"))).toList();
    }

    @Test
    @Order(1)
    void withTheWorkerOffJobsWaitOnTheStream() throws Exception {
        String songId = uploadAndAwaitAnalysis(20);
        JsonNode s = awaitStatus(songId, x -> x.path("totalClips").asInt() > 0);
        int total = s.path("totalClips").asInt();
        awaitEntries(songId, Duration.ofSeconds(10), e -> e.size() >= total);
        assertEquals(total, entries(songId).size());
        Thread.sleep(1000); // a moment in which nobody may take them
        JsonNode later = Http.get(base() + "/api/v1/songs/" + songId + "/clips/status").json();
        assertEquals(total, later.path("queuedClips").asInt(), "nobody works on them");
        assertEquals(0L, jedis.xpending("vibecraft:clip-jobs", "clip-workers").getTotal());
    }

    @Test
    @Order(2)
    void redisDownDuringPlanningLosesNoClipAndDuplicatesNone() throws Exception {
        // a song analysed and planned (automatically, after its analysis) while Redis is down
        JsonNode clips = null;
        String second;
        redis.stop();
        try {
            // 20 s (A, then B): several clips, planned while Redis is away
            byte[] wav = TestAudio.wav(java.util.Arrays.copyOf(TestAudio.abab(RATE, System.nanoTime()), RATE * 20), RATE);
            second = Http.upload(base(), "during-outage.wav", wav).json().path("id").asText();
            Http.awaitSong(base(), second, Duration.ofSeconds(60), "analyzed");
            clips = awaitStatus(second, x -> x.path("totalClips").asInt() > 0);
            Thread.sleep(1000); // Redis stays away a while longer: the relay's tries (every 0.3 s) fail
        } finally {
            redis.startAgain();
        }
        int total = clips.path("totalClips").asInt();
        awaitEntries(second, Duration.ofSeconds(15), e -> e.size() >= total);
        List<StreamEntry> sent = entries(second);
        assertEquals(total, sent.size(), "every clip got its job after Redis returned");
        Set<String> clipIds = new HashSet<>();
        sent.forEach(e -> clipIds.add(e.getFields().get("clipId")));
        assertEquals(total, clipIds.size(), "one job per clip, no duplicates");
        Thread.sleep(1000); // three relay rounds in which nothing may be sent again
        assertEquals(total, entries(second).size(), "the relay does not send them again");
        JsonNode after = Http.get(base() + "/api/v1/songs/" + second + "/clips").json();
        assertEquals(total, after.size(), "the ledger holds each clip once");
    }

    @Test
    @Order(3)
    void aJobWhoseWorkerDiedIsReclaimedAfterTheVisibilityTimeout() throws Exception {
        String songId = uploadAndAwaitAnalysis(12);
        awaitStatus(songId, x -> x.path("totalClips").asInt() > 0);
        awaitEntries(songId, Duration.ofSeconds(10), e -> !e.isEmpty());
        // a worker reads everything new, and dies without acknowledging
        List<Map.Entry<String, List<StreamEntry>>> read = jedis.xreadGroup("clip-workers", "doomed-worker",
                XReadGroupParams.xReadGroupParams().count(1000),
                Map.of("vibecraft:clip-jobs", StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        StreamEntry taken = read.get(0).getValue().stream()
                .filter(e -> songId.equals(e.getFields().get("songId"))).findFirst().orElseThrow();
        String clipId = taken.getFields().get("clipId");
        String oldJob = taken.getFields().get("jobId");

        JsonNode clip = Await.value(Duration.ofSeconds(15), 200, () -> findClip(songId, clipId),
                c -> !oldJob.equals(c.path("jobId").asText()), "the stalled job " + oldJob + " replaced");
        assertNotEquals(oldJob, clip.path("jobId").asText(), "the stalled job was replaced");
        assertEquals(2, clip.path("attempts").asInt(), "the stall counts as an attempt");
        assertEquals("queued", clip.path("status").asText());
        String newJob = clip.path("jobId").asText();
        // the new job is sent right after its row changed
        awaitEntries(songId, Duration.ofSeconds(10), es -> es.stream().anyMatch(e -> newJob.equals(e.getFields().get("jobId"))));
        assertEquals(1, entries(songId).stream().filter(e -> newJob.equals(e.getFields().get("jobId"))).count(),
                "re-delivered as a new entry");
    }

    @Test
    @Order(4)
    void jobsARestartedRedisLostAreSentAgainWithTheirIds() throws Exception {
        String songId = uploadAndAwaitAnalysis(20);
        JsonNode clips = awaitStatus(songId, x -> x.path("totalClips").asInt() > 0);
        int total = clips.path("totalClips").asInt();
        awaitEntries(songId, Duration.ofSeconds(10), e -> e.size() >= total);
        assertEquals(total, entries(songId).size());
        // Redis comes back from an append-only file that misses its last second: these jobs and their
        // send markers are gone, while the ledger has them as sent
        for (StreamEntry e : entries(songId)) {
            jedis.xdel("vibecraft:clip-jobs", e.getID());
            jedis.del("vibecraft:clip-job-sent:" + e.getFields().get("jobId"));
        }
        assertEquals(0, entries(songId).size());
        // after the visibility timeout (1 s here) the sweep notices, and the relay sends them again
        awaitEntries(songId, Duration.ofSeconds(15), e -> e.size() >= total);
        List<StreamEntry> again = entries(songId);
        assertEquals(total, again.size(), "every lost job is back");
        Set<String> jobIds = new HashSet<>();
        for (JsonNode c : Http.get(base() + "/api/v1/songs/" + songId + "/clips").json()) {
            assertEquals("queued", c.path("status").asText());
            assertEquals(1, c.path("attempts").asInt(), "a lost send is not an attempt");
            jobIds.add(c.path("jobId").asText());
        }
        Set<String> sentIds = new HashSet<>();
        again.forEach(e -> sentIds.add(e.getFields().get("jobId")));
        assertEquals(jobIds, sentIds, "the same job ids, each once");
        Thread.sleep(1500); // past another visibility timeout (1 s), in which nothing may be sent again
        assertEquals(total, entries(songId).size(), "and only once: their markers are back");
    }

    /** Waits until the song's entries on the job stream satisfy {@code done}. */
    private static List<StreamEntry> awaitEntries(String songId, Duration timeout,
                                                  java.util.function.Predicate<List<StreamEntry>> done) {
        return Await.value(timeout, 100, () -> entries(songId), done, "the jobs of " + songId + " on the stream");
    }

    private static JsonNode findClip(String songId, String clipId) {
        for (JsonNode c : Http.get(base() + "/api/v1/songs/" + songId + "/clips").json()) {
            if (clipId.equals(c.path("id").asText())) {
                return c;
            }
        }
        throw new AssertionError("no clip " + clipId);
    }
}
