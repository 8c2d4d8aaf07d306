package com.vibecraft.pipeline.clips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.vibecraft.pipeline.App;
import com.vibecraft.pipeline.redis.RedisConnection;
import com.vibecraft.pipeline.support.Await;
import com.vibecraft.pipeline.support.Http;
import com.vibecraft.pipeline.support.TestAudio;
import com.vibecraft.pipeline.support.TestEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.component.resilience4j.ResilienceProcessor;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The http generator against a local fake predictions API: a job that always fails comes back with
 * growing backoff, then goes to the dead-letter stream, and a manual retry afterwards works; a
 * failing service opens the generator's circuit breaker.
 */
@CamelMainTest(mainClass = App.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClipRetryTest {

    static final int RATE = 22050;
    static FakePredictions api;

    @BeanInject
    CamelContext context;

    @BeanInject
    RedisConnection redis;

    @BeforeAll
    static void environment() throws Exception {
        api = new FakePredictions();
        Map<String, String> p = api.serviceSettings("clipretry");
        p.put("vibecraft.video.deadline-sec", "5");
        p.put("vibecraft.video.breaker.window-size", "4");
        p.put("vibecraft.video.breaker.minimum-calls", "4");
        p.put("vibecraft.video.breaker.open-wait-sec", "30");
        p.put("vibecraft.clips.max-attempts", "3");
        p.put("vibecraft.clips.retry.base-delay-sec", "0.5");
        p.put("vibecraft.clips.retry.factor", "2");
        p.put("vibecraft.clips.retry.jitter", "0.2");
        p.put("vibecraft.clips.retry-poll-ms", "50");
        p.put("vibecraft.worker.concurrency", "1");
        TestEnvironment.prepare("retry", p);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @BeforeEach
    void closeBreaker() {
        context.getProcessor("video-generator-breaker", ResilienceProcessor.class).getCircuitBreaker().reset();
    }

    static String base() {
        return TestEnvironment.baseUrl();
    }

    /** A 5-second song: two clips at most. */
    static String songWithClips() throws Exception {
        byte[] wav = TestAudio.wav(TestAudio.sine(RATE, 5, 200 + System.nanoTime() % 500, 0.3), RATE);
        String id = Http.upload(base(), "short.wav", wav).json().path("id").asText();
        Http.awaitSong(base(), id, Duration.ofSeconds(30), "analyzed");
        ClipFlowTest.awaitClips(id, Duration.ofSeconds(30), s -> s.path("totalClips").asInt() > 0);
        return id;
    }

    @Test
    @Order(1)
    void aJobThatAlwaysFailsBacksOffThenIsDeadLetteredAndAManualRetryWorks() throws Exception {
        api.mode = FakePredictions.Mode.PREDICTION_FAILED;
        api.creates.clear();
        String songId = songWithClips();
        JsonNode done = ClipFlowTest.awaitClips(songId, Duration.ofSeconds(30),
                s -> s.path("failedClips").asInt() == s.path("totalClips").asInt()
                        && allAttempted(s, 3));
        JsonNode clip = done.path("clips").get(0);
        assertEquals(3, clip.path("attempts").asInt());
        assertTrue(clip.path("error").asText().contains("NSFW filter tripped"), clip.toString());
        assertTrue(clip.path("nextAttemptAt").isNull(), "no more automatic attempts");

        // the API saw each attempt of this clip, further apart each time (0.5 s, then 1 s, ±20 %)
        assertEquals(3 * done.path("totalClips").asInt(), api.creates.size(), "every attempt reached the API");
        List<Long> own = creationsOfClip(clip.path("id").asText());
        assertEquals(3, own.size());
        long gap1 = own.get(1) - own.get(0);
        long gap2 = own.get(2) - own.get(1);
        // lower bounds only: on a busy machine a worker may pick a due job up late, which lengthens a gap
        // (the growth itself is RetryPolicyTest's)
        assertTrue(gap1 >= 350 && gap2 >= 750, "backoff gaps " + gap1 + " ms, " + gap2 + " ms");

        String deadKey = System.getProperty("vibecraft.redis.prefix") + ":clip-jobs:dead";
        List<StreamEntry> dead = awaitDead(deadKey, songId, done.path("totalClips").asInt());
        assertTrue(dead.get(0).getFields().get("error").contains("NSFW filter tripped"));
        assertEquals(0, context.getProcessor("video-generator-breaker", ResilienceProcessor.class)
                .getNumberOfFailedCalls(), "the job's own failures do not count against the service");

        api.mode = FakePredictions.Mode.SUCCEED;
        Http.Response retried = Http.post(ClipFlowTest.retryUrl(songId, clip.path("id").asText()));
        assertEquals(202, retried.status(), retried.body());
        assertEquals(1, retried.json().path("attempts").asInt(), "a person's retry starts a fresh round");
        JsonNode after = ClipFlowTest.awaitClips(songId, Duration.ofSeconds(30),
                s -> "completed".equals(s.path("clips").get(0).path("status").asText()));
        assertTrue(after.path("clips").get(0).path("videoUrl").asText().startsWith("https://cdn.example/"));
    }

    @Test
    @Order(2)
    void aFailingServiceOpensTheGeneratorBreaker() throws Exception {
        api.mode = FakePredictions.Mode.SERVER_ERROR;
        api.creates.clear();
        songWithClips();
        songWithClips();
        songWithClips();
        ResilienceProcessor breaker = context.getProcessor("video-generator-breaker", ResilienceProcessor.class);
        Await.until(Duration.ofSeconds(30), 100, () -> "OPEN".equals(breaker.getCircuitBreakerState()),
                () -> "the generator's breaker open, now " + breaker.getCircuitBreakerState());
        assertEquals("OPEN", breaker.getCircuitBreakerState());
        int callsWhenOpened = api.creates.size();
        assertEquals(4, callsWhenOpened, "the breaker opened after its minimum number of calls");
        Thread.sleep(2000); // retries keep coming (backoff 0.5–1 s) but are not let through
        assertEquals(callsWhenOpened, api.creates.size(), "no call reaches the service while the breaker is open");
        assertTrue(breaker.getNumberOfNotPermittedCalls() > 0);
    }

    private static boolean allAttempted(JsonNode s, int attempts) {
        for (JsonNode c : s.path("clips")) {
            if (c.path("attempts").asInt() < attempts || !"failed".equals(c.path("status").asText())) {
                return false;
            }
        }
        return true;
    }

    private List<Long> creationsOfClip(String clipId) {
        String key = System.getProperty("vibecraft.redis.prefix") + ":clip-jobs";
        List<String> jobIds = redis.jedis().xrange(key, (StreamEntryID) null, (StreamEntryID) null).stream()
                .filter(e -> clipId.equals(e.getFields().get("clipId"))).map(e -> e.getFields().get("jobId")).toList();
        return api.creates.stream().filter(c -> jobIds.contains(c.jobId())).map(FakePredictions.Create::atMillis)
                .sorted().toList();
    }

    private List<StreamEntry> awaitDead(String key, String songId, int expected) {
        List<StreamEntry> dead = Await.value(Duration.ofSeconds(10), 100, () -> redis.jedis()
                .xrange(key, (StreamEntryID) null, (StreamEntryID) null).stream()
                .filter(e -> songId.equals(e.getFields().get("songId"))).toList(), d -> d.size() >= expected,
                "the dead letters of " + songId);
        assertEquals(expected, dead.size(), "each clip dead-lettered once");
        return dead;
    }
}
