package com.vibecraft.pipeline.audjust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.vibecraft.pipeline.App;
import com.vibecraft.pipeline.support.Await;
import com.vibecraft.pipeline.support.Http;
import com.vibecraft.pipeline.support.TestAudio;
import com.vibecraft.pipeline.support.TestEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.camel.CamelContext;
import org.apache.camel.component.resilience4j.ResilienceProcessor;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 6, Audjust faults under load: 50 uploads (4 at a time) while half of Audjust's answers fail
 * at random (500, a dropped connection, garbage, slower than the timeout); then Audjust down for 12
 * uploads; then back. Every song is analysed; the breaker opens and stops the calls while Audjust is
 * down, and closes again after it recovers. Prints calls made against songs analysed.
 */
@CamelMainTest(mainClass = App.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AudjustChaosTest {

    static FakeAudjust audjust;
    /** Chaos uploads: enough for the breaker to open and close several times, and every kind of failure. */
    static final int CHAOS_SONGS = 50;
    /** 50 chaos uploads over about 11 s: the pace this test had while making each song took a while. */
    static final Duration CHAOS_PACE = Duration.ofMillis(220);

    @org.apache.camel.BeanInject
    CamelContext context;

    @BeforeAll
    static void environment() throws Exception {
        audjust = new FakeAudjust();
        TestEnvironment.prepare("audjust-chaos", Map.of(
                "vibecraft.audjust.base-url", audjust.baseUrl(),
                "vibecraft.audjust.api-key", FakeAudjust.KEY,
                "vibecraft.audjust.timeout-sec", "1",
                "vibecraft.audjust.breaker.window-size", "6",
                "vibecraft.audjust.breaker.minimum-calls", "4",
                "vibecraft.audjust.breaker.failure-rate-percent", "50",
                "vibecraft.audjust.breaker.open-wait-sec", "2",
                "vibecraft.audjust.breaker.timeout-sec", "5",
                "vibecraft.worker.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        audjust.close();
    }

    @Test
    void everySongIsAnalysedWhateverAudjustDoes() throws Exception {
        // 1. chaos: half of the calls fail, at random
        audjust.mode = FakeAudjust.Mode.CHAOS;
        // spread over about 11 s: the breaker's 2 s open wait lets calls through now and then, so
        // Audjust gets some 15-20 calls and the seeded chaos each of its kinds of failure (the first five
        // calls are ok, garbage, slow, 500 and a dropped connection). Uploaded as fast as songs can be
        // made, the 50 are analysed within a couple of open waits and Audjust sees a handful of calls.
        List<String> chaosSongs = uploadAll(CHAOS_SONGS, 0, CHAOS_PACE);
        List<JsonNode> analysed = awaitAnalysed(chaosSongs);
        int callsInChaos = audjust.uploadCalls.get();
        long fromAudjust = analysed.stream().filter(s -> "audjust".equals(s.path("analysisSource").asText())).count();
        long shortCircuited = analysed.stream().filter(s -> s.path("fallbackReason").asText().contains("is OPEN")).count();
        System.out.printf("AudjustChaosTest chaos: %d songs analysed, %d Audjust calls (%s), %d from Audjust, "
                + "%d local because the breaker was open%n", analysed.size(), callsInChaos, audjust.chaosOutcomes,
                fromAudjust, shortCircuited);
        assertEquals(CHAOS_SONGS, analysed.size(), "every song analysed");
        assertTrue(fromAudjust > 0, "Audjust's good answers were used");
        assertTrue(shortCircuited > 0, "the breaker opened at times and spared Audjust those calls");
        assertTrue(callsInChaos < CHAOS_SONGS, "fewer calls than songs: " + callsInChaos);

        // 2. Audjust down: the breaker opens after its minimum calls and the calls stop
        audjust.mode = FakeAudjust.Mode.UPLOAD_500;
        // whatever state the chaos left the breaker in, it starts this part closed, with an empty window
        breaker().getCircuitBreaker().reset();
        int before = audjust.uploadCalls.get();
        List<JsonNode> down = awaitAnalysed(uploadAll(12, 1000, Duration.ZERO));
        int callsWhileDown = audjust.uploadCalls.get() - before;
        System.out.printf("AudjustChaosTest down: %d songs analysed locally, %d Audjust calls%n", down.size(),
                callsWhileDown);
        assertEquals(12, down.size());
        assertTrue(down.stream().allMatch(s -> "local".equals(s.path("analysisSource").asText())));
        assertTrue(callsWhileDown <= 6, "the open breaker stopped the calls: " + callsWhileDown);

        // 3. Audjust back: after the open wait the breaker lets a call through, and closes
        audjust.mode = FakeAudjust.Mode.OK_SECTIONS;
        // the breaker Audjust's fall opened goes half-open on its own once its open wait (2 s) has run out
        Await.until(Duration.ofSeconds(10), () -> "HALF_OPEN".equals(breaker().getCircuitBreakerState()),
                "the breaker half-open after its open wait");
        List<JsonNode> back = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            back.addAll(awaitAnalysed(uploadAll(1, 2000 + i, Duration.ZERO)));
        }
        System.out.printf("AudjustChaosTest back: sources %s%n", back.stream().map(s -> s.path("analysisSource").asText()).toList());
        assertEquals("audjust", back.get(back.size() - 1).path("analysisSource").asText(), "closed again");
        assertTrue(back.stream().filter(s -> "audjust".equals(s.path("analysisSource").asText())).count() >= 4);
    }

    private ResilienceProcessor breaker() {
        return context.getProcessor("audjust-breaker", ResilienceProcessor.class);
    }

    /** Upload i starts no earlier than i times {@code pace} after the first (4 at a time at most). */
    private static List<String> uploadAll(int n, int seedBase, Duration pace) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        long t0 = System.nanoTime();
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int seed = seedBase + i;
                long startAt = t0 + i * pace.toNanos();
                futures.add(pool.submit(() -> {
                    long early = startAt - System.nanoTime();
                    if (early > 0) {
                        Thread.sleep(early / 1_000_000, (int) (early % 1_000_000));
                    }
                    float[] song = java.util.Arrays.copyOf(TestAudio.abab(8000, seed), 8000 * 12);
                    Http.Response r = Http.upload(TestEnvironment.baseUrl(), "chaos-" + seed + ".wav", TestAudio.wav(song, 8000));
                    assertEquals(201, r.status(), r.body());
                    return r.json().path("id").asText();
                }));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> f : futures) {
                ids.add(f.get());
            }
            return ids;
        } finally {
            pool.shutdown();
        }
    }

    private static List<JsonNode> awaitAnalysed(List<String> ids) {
        List<JsonNode> songs = Collections.synchronizedList(new ArrayList<>());
        for (String id : ids) {
            JsonNode s = Http.awaitSong(TestEnvironment.baseUrl(), id, Duration.ofSeconds(180), "analyzed", "failed");
            assertEquals("analyzed", s.path("status").asText(), s.toString());
            songs.add(s);
        }
        return songs;
    }
}
