package com.vibecraft.pipeline.ops;

import static com.vibecraft.pipeline.support.PrometheusText.parse;
import static com.vibecraft.pipeline.support.PrometheusText.value;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.vibecraft.pipeline.App;
import com.vibecraft.pipeline.support.Await;
import com.vibecraft.pipeline.support.Http;
import com.vibecraft.pipeline.support.PrometheusText;
import com.vibecraft.pipeline.support.TestAudio;
import com.vibecraft.pipeline.support.TestEnvironment;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** GET /metrics after one upload and its analysis, parsed as Prometheus text. */
@CamelMainTest(mainClass = App.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsTest {

    static final int RATE = 8000;
    static final double SONG_SEC = 30;

    @BeforeAll
    static void environment() {
        // no clips: the queue gauges must stay at what the test expects
        // its own key prefix: on a shared Redis (CI's PostgreSQL pass) other tests' jobs stay on the default stream
        TestEnvironment.prepare("metrics", Map.of("vibecraft.worker.enabled", "false",
                "vibecraft.metrics.cache-sec", "0", "vibecraft.redis.prefix", "metrics-" + System.nanoTime()));
    }

    @Test
    void scrapeAfterAnUploadShowsRoutesBreakersSongsQueueAndTheAnalysis() {
        String base = TestEnvironment.baseUrl();
        float[] song = Arrays.copyOf(TestAudio.abab(RATE, 3), (int) (RATE * SONG_SEC));
        String id = Http.upload(base, "metrics.wav", TestAudio.wav(song, RATE)).json().path("id").asText();
        JsonNode done = Http.awaitSong(base, id, Duration.ofSeconds(60), "analyzed", "failed");
        assertEquals("analyzed", done.path("status").asText(), done.toString());

        // planning and sending the clip jobs follow the analysis: wait until every job is on the stream
        int clips = awaitClipsPlanned(base, id);
        Http.Response r = Await.value(Duration.ofSeconds(20), 200, () -> Http.get(base + "/metrics"),
                m -> value(parse(m.body()), "vibecraft_clip_queue_length") >= clips, "every clip job on the stream");
        assertEquals(200, r.status(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), r.headers().toString());
        List<PrometheusText.Sample> s = parse(r.body());

        // songs by status, from the database
        assertEquals(1, value(s, "vibecraft_songs", "status", "analyzed"));
        assertEquals(0, value(s, "vibecraft_songs", "status", "failed"));
        assertEquals(0, value(s, "vibecraft_songs", "status", "analyzing"));

        // one analysis: its duration histogram and its speed against real time
        assertEquals(1, value(s, "vibecraft_analysis_duration_seconds_count", "source", "local"));
        double seconds = value(s, "vibecraft_analysis_duration_seconds_sum", "source", "local");
        assertTrue(seconds > 0 && seconds < 60, "analysis took " + seconds + " s");
        assertTrue(s.stream().anyMatch(x -> x.name().equals("vibecraft_analysis_duration_seconds_bucket")
                && "+Inf".equals(x.labels().get("le")) && x.value() == 1), "no histogram buckets");
        assertEquals(1, value(s, "vibecraft_analysis_realtime_factor_count", "source", "local"));
        double factor = value(s, "vibecraft_analysis_realtime_factor_sum", "source", "local");
        assertEquals(SONG_SEC / seconds, factor, factor * 0.05, "x real time");

        // the clip queue (clips were planned, the built-in worker is off: every job waits)
        assertEquals(clips, value(s, "vibecraft_clip_queue_length"));
        assertEquals(clips, value(s, "vibecraft_clip_queue_waiting"));
        assertEquals(0, value(s, "vibecraft_clip_queue_pending"));
        assertEquals(0, value(s, "vibecraft_clip_queue_dead"));

        // Camel's route timings, per route id
        assertTrue(value(s, "camel_route_policy_seconds_count", "routeId", "analyze-song") >= 1);
        assertEquals(1, value(s, "camel_route_policy_seconds_count", "routeId", "upload-song"));

        // both breakers, closed
        for (String breaker : new String[] {"audjust-breaker", "video-generator-breaker"}) {
            assertEquals(1, value(s, "resilience4j_circuitbreaker_state", "name", breaker, "state", "closed"));
            assertEquals(0, value(s, "resilience4j_circuitbreaker_state", "name", breaker, "state", "open"));
        }
        assertFalse(r.body().contains("NaN"), "a gauge could not be read");
    }

    private static int awaitClipsPlanned(String base, String songId) {
        return Http.awaitClips(base, songId, Duration.ofSeconds(30), st -> st.path("totalClips").asInt() > 0)
                .path("totalClips").asInt();
    }
}
