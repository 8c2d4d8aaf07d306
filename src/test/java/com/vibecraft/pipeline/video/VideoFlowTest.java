package com.vibecraft.pipeline.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.vibecraft.pipeline.App;
import com.vibecraft.pipeline.support.Await;
import com.vibecraft.pipeline.support.Http;
import com.vibecraft.pipeline.support.PrometheusText;
import com.vibecraft.pipeline.support.TestAudio;
import com.vibecraft.pipeline.support.TestEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The music video on the real service (embedded defaults, preview clips): composed automatically when
 * the last clip completes; recomposed on request; a retried clip makes it stale and it is recomposed;
 * a corrupt clip fails the composition naming the clip while the old video stays served.
 */
@CamelMainTest(mainClass = App.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VideoFlowTest {

    static final int RATE = 22050;
    /** A: 0-15 s, B: 15-30 s; enough for the several clips the tests below pick from, and half the work of a minute. */
    static final int SONG_SEC = 30;
    static Path data;
    static String songId;

    @BeforeAll
    static void environment() {
        // a small frame keeps the re-encode quick; the format itself is the media tests' subject
        data = TestEnvironment.prepare("video", Map.of("vibecraft.redis.prefix", "videoflow-" + System.nanoTime(),
                "vibecraft.compose.size", "320x180", "vibecraft.compose.fps", "24", "vibecraft.compose.auto", "true"));
    }

    static String base() {
        return TestEnvironment.baseUrl();
    }

    static String songUrl() {
        return base() + "/api/v1/songs/" + songId;
    }

    static JsonNode awaitVideo(Duration timeout, Predicate<JsonNode> done) {
        return Await.value(timeout, 100, () -> {
            Http.Response r = Http.get(songUrl() + "/video/status");
            return r.status() == 200 ? r.json() : null;
        }, done, "the video of " + songId);
    }

    static Predicate<JsonNode> status(String status) {
        return v -> status.equals(v.path("status").asText());
    }

    static Predicate<JsonNode> composedAfter(String composedAt) {
        return v -> "composed".equals(v.path("status").asText()) && !composedAt.equals(v.path("composedAt").asText());
    }

    @Test
    @Order(1)
    void theVideoIsComposedWhenTheLastClipCompletes() throws Exception {
        Http.Response created = Http.upload(base(), "abab.wav",
                TestAudio.wav(java.util.Arrays.copyOf(TestAudio.abab(RATE, 11), RATE * SONG_SEC), RATE));
        assertEquals(201, created.status(), created.body());
        songId = created.json().path("id").asText();

        JsonNode v = awaitVideo(Duration.ofSeconds(120), status("composed"));
        assertEquals(100, v.path("progress").asInt());
        assertEquals(320, v.path("width").asInt());
        assertEquals(180, v.path("height").asInt());
        assertEquals(24, v.path("fps").asInt());
        assertEquals(SONG_SEC, v.path("durationSec").asDouble(), 1.0 / 24 + 1e-6);
        assertTrue(v.path("error").isNull());
        JsonNode clips = Http.get(songUrl() + "/clips/status").json();
        assertEquals(clips.path("totalClips").asInt(), clips.path("completedClips").asInt(), "composed after every clip");
        assertEquals("composed", Http.get(songUrl()).json().path("video").path("status").asText());

        Http.Response mp4 = Http.get(songUrl() + "/video");
        assertEquals(200, mp4.status());
        assertEquals("video/mp4", mp4.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(v.path("sizeBytes").asLong(), mp4.bytes().length);
        assertEquals("ftyp", new String(mp4.bytes(), 4, 4, StandardCharsets.US_ASCII));
        Http.Response part = Http.get(songUrl() + "/video", "Range", "bytes=100-199");
        assertEquals(206, part.status());
        assertEquals("bytes 100-199/" + mp4.bytes().length, part.headers().firstValue("Content-Range").orElseThrow());
        assertArrayEquals(java.util.Arrays.copyOfRange(mp4.bytes(), 100, 200), part.bytes());
        assertEquals(416, Http.get(songUrl() + "/video", "Range", "bytes=" + (mp4.bytes().length + 10) + "-").status());

        // read back with the decoder: H.264 + AAC, the song's length
        Path file = Files.createTempFile("video-flow", ".mp4");
        Files.write(file, mp4.bytes());
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            g.start();
            assertEquals("h264", g.getVideoCodecName());
            assertEquals("aac", g.getAudioCodecName());
            assertEquals(320, g.getImageWidth());
            assertEquals(180, g.getImageHeight());
            assertEquals(SONG_SEC, g.getLengthInTime() / 1e6, 0.1);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    @Order(2)
    void aRequestRecomposes() throws Exception {
        String before = Http.get(songUrl() + "/video/status").json().path("composedAt").asText();
        Http.Response r = Http.post(songUrl() + "/video");
        assertEquals(202, r.status(), r.body());
        JsonNode v = awaitVideo(Duration.ofSeconds(60), composedAfter(before));
        assertEquals(SONG_SEC, v.path("durationSec").asDouble(), 1.0 / 24 + 1e-6);
        // two compositions so far, both re-encoded (preview clips are 8 fps): counted, timed, × real time
        var samples = PrometheusText.parse(Http.get(base() + "/metrics").body());
        assertEquals(2, PrometheusText.value(samples, "vibecraft_video_compositions_total", "outcome", "composed"));
        assertEquals(2, PrometheusText.value(samples, "vibecraft_video_composition_duration_seconds_count", "path", "encode"));
        double factor = PrometheusText.value(samples, "vibecraft_video_realtime_factor_sum", "path", "encode") / 2;
        double wall = PrometheusText.value(samples, "vibecraft_video_composition_duration_seconds_sum", "path", "encode") / 2;
        assertTrue(factor > 0 && wall > 0 && wall < 60, factor + "x, " + wall + " s");
        assertEquals(404, Http.post(base() + "/api/v1/songs/00000000-0000-0000-0000-000000000000/video").status());
        assertEquals(404, Http.post(base() + "/api/v1/songs/not-a-uuid/video").status());
        assertEquals(404, Http.get(base() + "/api/v1/songs/00000000-0000-0000-0000-000000000000/video/status").status());
    }

    @Test
    @Order(3)
    void aRetriedClipMakesTheVideoStaleUntilItIsRecomposed() throws Exception {
        String before = Http.get(songUrl() + "/video/status").json().path("composedAt").asText();
        String clipId = Http.get(songUrl() + "/clips").json().get(3).path("id").asText();
        Http.Response retry = Http.post(songUrl() + "/clips/" + clipId + "/retry");
        assertEquals(202, retry.status(), retry.body());
        // stale (the old video served) until every clip is completed again, then composed anew
        JsonNode seen = awaitVideo(Duration.ofSeconds(60), v -> !"composed".equals(v.path("status").asText())
                || !before.equals(v.path("composedAt").asText()));
        assertTrue(java.util.Set.of("stale", "composing", "composed").contains(seen.path("status").asText()), seen.toString());
        awaitVideo(Duration.ofSeconds(60), composedAfter(before));
    }

    @Test
    @Order(4)
    void aCorruptClipFailsTheCompositionNamingItAndTheOldVideoStaysServed() throws Exception {
        byte[] good = Http.get(songUrl() + "/video").bytes();
        JsonNode clip = Http.get(songUrl() + "/clips").json().get(2);
        String clipId = clip.path("id").asText();
        Path clipFile = data.resolve("clips").resolve(clipId + ".mp4");
        assertTrue(Files.isRegularFile(clipFile), clipFile.toString());
        Files.write(clipFile, "this is not an mp4 at all".repeat(100).getBytes(StandardCharsets.US_ASCII));

        assertEquals(202, Http.post(songUrl() + "/video").status());
        JsonNode failed = awaitVideo(Duration.ofSeconds(60), status("failed"));
        assertTrue(failed.path("error").asText().contains(clipId), failed.toString());
        assertTrue(failed.path("error").asText().contains("Clip 3"), failed.toString());
        assertEquals("failed", Http.get(songUrl()).json().path("video").path("status").asText());
        assertArrayEquals(good, Http.get(songUrl() + "/video").bytes(), "the previous video is still served");
        try (var leftovers = Files.list(data.resolve("videos"))) {
            assertEquals(java.util.List.of(songId + ".mp4"),
                    leftovers.map(p -> p.getFileName().toString()).toList(), "no temporary file left behind");
        }

        // retrying the named clip renders it again, and the video is recomposed on its own
        String failedAt = failed.path("composedAt").asText();
        assertEquals(202, Http.post(songUrl() + "/clips/" + clipId + "/retry").status());
        JsonNode again = awaitVideo(Duration.ofSeconds(60), composedAfter(failedAt));
        assertNotEquals(failedAt, again.path("composedAt").asText());
    }
}
