package com.vibecraft.pipeline.clips;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.vibecraft.pipeline.App;
import com.vibecraft.pipeline.redis.RedisConnection;
import com.vibecraft.pipeline.support.Http;
import com.vibecraft.pipeline.support.TestAudio;
import com.vibecraft.pipeline.support.TestEnvironment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Upload → analysis → clip plan → jobs on the Redis stream → the built-in preview worker → results,
 * on the real service; then the clip endpoints: retry (202/404/409, concurrent), re-plan, videos.
 */
@CamelMainTest(mainClass = App.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClipFlowTest {

    static final int RATE = 22050;
    /** A (0-15 s) then B: two sections, five to ten clips, half the rendering of a minute. */
    static final int SONG_SEC = 30;
    static String songId;

    @BeanInject
    CamelContext context;

    @BeanInject
    RedisConnection redis;

    @BeforeAll
    static void environment() {
        TestEnvironment.prepare("clips", Map.of("vibecraft.redis.prefix", "clipflow-" + System.nanoTime()));
    }

    static String base() {
        return TestEnvironment.baseUrl();
    }

    static JsonNode awaitClips(String songId, Duration timeout, java.util.function.Predicate<JsonNode> done) {
        return Http.awaitClips(base(), songId, timeout, done);
    }

    static boolean allCompleted(JsonNode s) {
        return Http.allClipsCompleted(s);
    }

    @Test
    @Order(1)
    void anUploadedSongEndsWithEveryClipCompleted() throws Exception {
        byte[] wav = TestAudio.wav(java.util.Arrays.copyOf(TestAudio.abab(RATE, System.nanoTime()), RATE * SONG_SEC), RATE);
        Http.Response created = Http.upload(base(), "abab.wav", wav);
        assertEquals(201, created.status(), created.body());
        songId = created.json().path("id").asText();

        JsonNode summary = awaitClips(songId, Duration.ofSeconds(90), ClipFlowTest::allCompleted);
        int total = summary.path("totalClips").asInt();
        assertTrue(total >= SONG_SEC / 6 && total <= SONG_SEC / 3, SONG_SEC + " s in clips of 3–6 s: " + total);
        assertEquals(SONG_SEC, summary.path("songDurationSec").asDouble(), 0.05);
        assertEquals(SONG_SEC, summary.path("progressTotal").asDouble(), 0.125);
        assertEquals(summary.path("progressTotal").asDouble(), summary.path("progressCompleted").asDouble(), 1e-6);
        assertEquals(0, summary.path("failedClips").asInt() + summary.path("queuedClips").asInt()
                + summary.path("processingClips").asInt());

        JsonNode analysis = Http.get(base() + "/api/v1/songs/" + songId + "/analysis").json();
        Set<String> sectionIds = new HashSet<>();
        java.util.Map<String, String> sectionKeys = new java.util.HashMap<>();
        analysis.path("sections").forEach(s -> {
            sectionIds.add(s.path("id").asText());
            sectionKeys.put(s.path("id").asText(), s.path("key").asText());
        });
        String genre = analysis.path("genre").path("primary").asText();
        assertFalse(genre.isBlank(), analysis.toString());
        double previousEnd = 0;
        Set<Long> seeds = new HashSet<>();
        int index = 0;
        for (JsonNode c : summary.path("clips")) {
            assertEquals(index++, c.path("clipIndex").asInt());
            assertEquals(previousEnd, c.path("startSec").asDouble(), 1e-6, "clips tile the song");
            previousEnd = c.path("endSec").asDouble();
            double d = c.path("durationSec").asDouble();
            assertTrue(d >= 3 - 1e-9 && d <= 6 + 1e-9, "clip of " + d + " s");
            assertEquals(Math.max(1, Math.round(d * 8)), c.path("numFrames").asInt());
            assertTrue(sectionIds.contains(c.path("sectionId").asText()));
            assertEquals("completed", c.path("status").asText());
            assertEquals(1, c.path("attempts").asInt());
            assertTrue(c.path("prompt").asText().contains(c.path("sectionDisplayName").asText()), c.toString());
            // the default template names the section's key and the song's genre
            assertTrue(c.path("prompt").asText().contains(" in " + sectionKeys.get(c.path("sectionId").asText()) + " "), c.toString());
            assertTrue(c.path("prompt").asText().contains(" " + genre + " song"), c.toString());
            assertTrue(c.path("videoUrl").asText().endsWith("/api/v1/clips/" + c.path("id").asText() + "/video"));
            seeds.add(c.path("styleSeed").asLong());
        }
        assertEquals(SONG_SEC, previousEnd, 1e-6);
        assertEquals(1, seeds.size(), "one style seed per song");

        String clipId = summary.path("clips").get(0).path("id").asText();
        Http.Response video = Http.get(base() + "/api/v1/clips/" + clipId + "/video");
        assertEquals(200, video.status());
        assertEquals("video/mp4", video.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("ftyp", new String(video.bytes(), 4, 4, StandardCharsets.US_ASCII));

        JsonNode song = Http.get(base() + "/api/v1/songs/" + songId).json();
        assertEquals("completed", song.path("clips").path("phase").asText(), song.toString());
        assertEquals(total, song.path("clips").path("completed").asInt());

        JsonNode list = Http.get(base() + "/api/v1/songs/" + songId + "/clips").json();
        assertEquals(total, list.size());
        // every job on the stream belongs to one of these clips, once each
        assertEquals(total, jobEntries().size());
    }

    @Test
    @Order(2)
    void retryAnswers202ThenConflictAndNotFound() throws Exception {
        JsonNode clip = Http.get(base() + "/api/v1/songs/" + songId + "/clips").json().get(1);
        String clipId = clip.path("id").asText();
        context.getRouteController().stopRoute("clip-worker");
        try {
            Http.Response r = Http.post(retryUrl(songId, clipId));
            assertEquals(202, r.status(), r.body());
            JsonNode again = r.json();
            assertEquals("queued", again.path("status").asText());
            assertNotEquals(clip.path("jobId").asText(), again.path("jobId").asText());
            assertTrue(again.path("videoUrl").isNull() && again.path("error").isNull());
            assertEquals(clip.path("prompt").asText(), again.path("prompt").asText());
            assertEquals(clip.path("styleSeed").asLong(), again.path("styleSeed").asLong());

            assertEquals(409, Http.post(retryUrl(songId, clipId)).status());
            assertEquals(404, Http.post(retryUrl(songId, "00000000-0000-0000-0000-000000000000")).status());
            assertEquals(404, Http.post(retryUrl("00000000-0000-0000-0000-000000000000", clipId)).status(),
                    "a clip of another song");
            assertEquals(404, Http.post(retryUrl(songId, "not-a-uuid")).status());
            assertEquals(409, Http.post(base() + "/api/v1/songs/" + songId + "/clips").status(),
                    "no re-plan while a clip is queued");
        } finally {
            context.getRouteController().startRoute("clip-worker");
        }
        JsonNode done = awaitClips(songId, Duration.ofSeconds(30), ClipFlowTest::allCompleted);
        JsonNode retried = done.path("clips").get(1);
        assertEquals(clipId, retried.path("id").asText());
        assertEquals("completed", retried.path("status").asText());
    }

    @Test
    @Order(3)
    void twoConcurrentRetriesEnqueueExactlyOneJob() throws Exception {
        String clipId = Http.get(base() + "/api/v1/songs/" + songId + "/clips").json().get(2).path("id").asText();
        context.getRouteController().stopRoute("clip-worker");
        List<Integer> codes = new ArrayList<>();
        try {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return Http.post(retryUrl(songId, clipId)).status();
                }));
            }
            go.countDown();
            for (Future<Integer> f : answers) {
                codes.add(f.get());
            }
            pool.shutdown();
            codes.sort(Integer::compare);
            assertEquals(List.of(202, 409), codes);
            String jobId = Http.get(base() + "/api/v1/songs/" + songId + "/clips").json().get(2).path("jobId").asText();
            long entries = jobEntries().stream().filter(e -> jobId.equals(e.getFields().get("jobId"))).count();
            assertEquals(1, entries, "exactly one job on the stream for the retry");
        } finally {
            context.getRouteController().startRoute("clip-worker");
        }
        awaitClips(songId, Duration.ofSeconds(30), ClipFlowTest::allCompleted);
    }

    @Test
    @Order(4)
    void replanReplacesTheClipsAndNeedsAnAnalysis() throws Exception {
        List<String> before = new ArrayList<>();
        Http.get(base() + "/api/v1/songs/" + songId + "/clips").json().forEach(c -> before.add(c.path("id").asText()));
        Http.Response r = Http.post(base() + "/api/v1/songs/" + songId + "/clips");
        assertEquals(202, r.status(), r.body());
        assertEquals(before.size(), r.json().path("totalClips").asInt());
        r.json().path("clips").forEach(c -> assertTrue(!before.contains(c.path("id").asText()), "new clip rows"));
        awaitClips(songId, Duration.ofSeconds(60), ClipFlowTest::allCompleted);

        assertEquals(404, Http.post(base() + "/api/v1/songs/00000000-0000-0000-0000-000000000000/clips").status());
        Http.Response none = Http.get(base() + "/api/v1/songs/00000000-0000-0000-0000-000000000000/clips/status");
        assertEquals(404, none.status());
        assertEquals("No clip plans found for this song.", none.json().path("detail").asText());

        // a song without an analysis: hold the analysis queue so it stays 'analyzing'
        context.getRouteController().stopRoute("analysis-queue");
        try {
            byte[] wav = TestAudio.wav(TestAudio.sine(RATE, 4, 300 + System.nanoTime() % 200, 0.3), RATE);
            String fresh = Http.upload(base(), "fresh.wav", wav).json().path("id").asText();
            Http.Response conflict = Http.post(base() + "/api/v1/songs/" + fresh + "/clips");
            assertEquals(409, conflict.status(), conflict.body());
            assertTrue(conflict.json().path("detail").asText().contains("no analysis"));
            assertEquals("No clip plans found for this song.",
                    Http.get(base() + "/api/v1/songs/" + fresh + "/clips/status").json().path("detail").asText());
            assertEquals(0, Http.get(base() + "/api/v1/songs/" + fresh + "/clips").json().size());
        } finally {
            context.getRouteController().startRoute("analysis-queue");
        }
        assertEquals(404, Http.get(base() + "/api/v1/clips/00000000-0000-0000-0000-000000000000/video").status());
    }

    static String retryUrl(String song, String clip) {
        return base() + "/api/v1/songs/" + song + "/clips/" + clip + "/retry";
    }

    private List<StreamEntry> jobEntries() {
        String key = System.getProperty("vibecraft.redis.prefix") + ":clip-jobs";
        return redis.jedis().xrange(key, (StreamEntryID) null, (StreamEntryID) null).stream()
                .filter(e -> songId.equals(e.getFields().get("songId"))).toList();
    }

}
