package com.vibecraft.pipeline.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.vibecraft.pipeline.App;
import com.vibecraft.pipeline.audjust.FakeAudjust;
import com.vibecraft.pipeline.support.Http;
import com.vibecraft.pipeline.support.TeeStream;
import com.vibecraft.pipeline.support.TestAudio;
import com.vibecraft.pipeline.support.TestEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The service's log (slf4j-simple on stderr) during a whole flow with Audjust and the built-in
 * worker: one line per song and clip state change, with the ids, and none of the secrets the
 * service was given or handled (API keys, tokens, the database password, Audjust's signed URL).
 */
@CamelMainTest(mainClass = App.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StateChangeLogTest {

    static final int RATE = 8000;
    static final String VIDEO_TOKEN = "video-token-3c9e0f7d2b";
    static final String DB_PASSWORD = "db-password-8d1f6a4e0c";
    static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    static PrintStream originalErr;
    static FakeAudjust audjust;

    @BeforeAll
    static void environment() throws Exception {
        audjust = new FakeAudjust();
        originalErr = System.err;
        System.setErr(new PrintStream(new TeeStream(originalErr, LOG), true, StandardCharsets.UTF_8));
        Map<String, String> props = new HashMap<>();
        props.put("vibecraft.audjust.base-url", audjust.baseUrl());
        props.put("vibecraft.audjust.api-key", FakeAudjust.KEY);
        props.put("vibecraft.video.api-token", VIDEO_TOKEN);
        TestEnvironment.prepare("logs", props);
        if (!TestEnvironment.onPostgres()) {
            // a fresh H2 database takes the password it is first opened with
            System.setProperty("vibecraft.database.password", DB_PASSWORD);
        }
    }

    @AfterAll
    static void cleanup() {
        System.setErr(originalErr);
        audjust.close();
    }

    private static List<String> lines() {
        synchronized (LOG) {
            return List.of(LOG.toString(StandardCharsets.UTF_8).split("\n"));
        }
    }

    private static long count(List<String> lines, String text) {
        return lines.stream().filter(l -> l.contains(text)).count();
    }

    @Test
    void songAndClipStateChangesAreLoggedOnceEachWithoutSecrets() throws Exception {
        String base = TestEnvironment.baseUrl();
        float[] tone = TestAudio.sine(RATE, 12, 330, 0.3);
        byte[] wav = TestAudio.wav(tone, RATE);
        Http.Response created = Http.upload(base, "logged.wav", wav);
        assertEquals(201, created.status(), created.body());
        String songId = created.json().path("id").asText();
        JsonNode song = Http.awaitSong(base, songId, Duration.ofSeconds(30), "analyzed", "failed");
        assertEquals("audjust", song.path("analysisSource").asText(), song.toString());
        JsonNode clips = awaitAllCompleted(base, songId);
        List<String> clipIds = new ArrayList<>();
        clips.path("clips").forEach(c -> clipIds.add(c.path("id").asText()));
        assertFalse(clipIds.isEmpty());

        List<String> lines = lines();
        assertEquals(1, count(lines, "Song " + songId + " uploaded"), "uploaded");
        assertEquals(1, count(lines, "Song " + songId + " analyzing"), "analyzing");
        assertEquals(1, count(lines, "Song " + songId + " analysed by audjust"), "analyzed");
        for (String clipId : clipIds) {
            String prefix = "Clip " + clipId + " of song " + songId;
            assertEquals(1, count(lines, prefix + " queued"), "queued " + clipId);
            assertEquals(1, count(lines, prefix + " processing"), "processing " + clipId);
            assertEquals(1, count(lines, prefix + " completed"), "completed " + clipId);
        }

        // a retry by request: queued again, processed and completed again
        String retried = clipIds.get(0);
        assertEquals(202, Http.post(base + "/api/v1/songs/" + songId + "/clips/" + retried + "/retry").status());
        awaitAllCompleted(base, songId);
        lines = lines();
        assertEquals(1, count(lines, "Clip " + retried + " of song " + songId + " queued again (retry requested"));
        assertEquals(2, count(lines, "Clip " + retried + " of song " + songId + " completed"));

        String all = String.join("\n", lines);
        assertTrue(all.contains("Song " + songId), "the capture works");
        // the start-up summary lists the settings with tokens, keys and every URL (which may carry a
        // password) masked
        for (String key : new String[] {"vibecraft.audjust.base-url", "vibecraft.audjust.api-key",
                "vibecraft.video.api-token", "vibecraft.database.url", "vibecraft.redis.url"}) {
            assertTrue(lines.stream().anyMatch(l -> l.contains(key + " = xxxxxx")), key + " is not listed masked");
        }
        assertFalse(all.contains(audjust.baseUrl()), "Audjust's URL in the log");
        for (String secret : new String[] {FakeAudjust.KEY, VIDEO_TOKEN, DB_PASSWORD, "SIGNATURE123", "sig="}) {
            assertFalse(all.contains(secret), "secret in the log: " + secret);
        }
        // no audio: neither the WAV header nor raw bytes
        assertFalse(all.contains("RIFF") || all.contains("WAVEfmt"), "audio bytes in the log");
        assertTrue(all.chars().noneMatch(ch -> ch == 0), "binary in the log");
        assertTrue(lines.stream().allMatch(l -> l.length() < 4000), "an oversized log line");
    }

    private static JsonNode awaitAllCompleted(String base, String songId) {
        return Http.awaitClips(base, songId, Duration.ofSeconds(90), Http::allClipsCompleted);
    }
}
