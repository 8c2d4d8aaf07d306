package com.vibecraft.pipeline.clips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.vibecraft.pipeline.App;
import com.vibecraft.pipeline.support.Http;
import com.vibecraft.pipeline.support.TestAudio;
import com.vibecraft.pipeline.support.TestEnvironment;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The built-in worker with two slots: while one job waits a long time on the video API, the other slot
 * keeps taking and finishing jobs (before, a batch of two waited for its slowest job).
 */
@CamelMainTest(mainClass = App.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerSlotsTest {

    static final int RATE = 22050;
    static FakePredictions api;

    @BeforeAll
    static void environment() throws Exception {
        api = new FakePredictions();
        api.holdFirst = new CountDownLatch(1);
        Map<String, String> p = api.serviceSettings("slots");
        p.put("vibecraft.video.deadline-sec", "60");
        p.put("vibecraft.worker.concurrency", "2");
        TestEnvironment.prepare("slots", p);
    }

    @AfterAll
    static void stop() {
        api.holdFirst.countDown();
        api.close();
    }

    @Test
    void aLongJobDoesNotHoldTheOtherSlot() throws Exception {
        String base = TestEnvironment.baseUrl();
        String id = Http.upload(base, "slots.wav", TestAudio.wav(TestAudio.abab(RATE, 31), RATE)).json().path("id").asText();
        // the first prediction is held: every other clip still completes, through the other slot
        JsonNode s = ClipFlowTest.awaitClips(id, Duration.ofSeconds(60), x -> x.path("totalClips").asInt() > 0
                && x.path("completedClips").asInt() == x.path("totalClips").asInt() - 1);
        assertTrue(s.path("totalClips").asInt() >= 10, String.valueOf(s));
        assertEquals(s.path("totalClips").asInt() - 1, s.path("completedClips").asInt(), "all but the held one: " + s);
        assertEquals(1, s.path("processingClips").asInt(), s.toString());
        assertEquals(1, api.holdFirst.getCount(), "the first job is still held");

        api.holdFirst.countDown();
        s = ClipFlowTest.awaitClips(id, Duration.ofSeconds(60),
                x -> x.path("completedClips").asInt() >= x.path("totalClips").asInt());
        assertEquals(s.path("totalClips").asInt(), s.path("completedClips").asInt(), s.toString());
    }
}
