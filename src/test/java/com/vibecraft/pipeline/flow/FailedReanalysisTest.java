package com.vibecraft.pipeline.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.vibecraft.pipeline.App;
import com.vibecraft.pipeline.support.Await;
import com.vibecraft.pipeline.support.Http;
import com.vibecraft.pipeline.support.TestAudio;
import com.vibecraft.pipeline.support.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A re-analysis that fails (the stored audio has become unreadable) leaves the song failed with the
 * reason, while its previous analysis and its clips stay readable.
 */
@CamelMainTest(mainClass = App.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailedReanalysisTest {

    static final int RATE = 22050;
    static Path data;

    @BeforeAll
    static void environment() {
        // nothing kept decoded: the re-analysis reads the stored file again
        data = TestEnvironment.prepare("reanalysis", Map.of("vibecraft.analysis.decoded-cache-songs", "0",
                "vibecraft.redis.prefix", "reanalysis-" + System.nanoTime()));
    }

    @Test
    void aFailedReanalysisKeepsThePreviousAnalysisAndClipsReadable() throws Exception {
        String base = TestEnvironment.baseUrl();
        // 20 s (A, then B): sections and clips to keep are all this needs
        Http.Response created = Http.upload(base, "kept.wav",
                TestAudio.wav(java.util.Arrays.copyOf(TestAudio.abab(RATE, 21), RATE * 20), RATE));
        assertEquals(201, created.status(), created.body());
        String id = created.json().path("id").asText();
        String song = base + "/api/v1/songs/" + id;
        Http.awaitSong(base, id, Duration.ofSeconds(60), "analyzed");
        JsonNode before = Http.get(song + "/analysis").json();
        assertFalse(before.path("sections").isEmpty());
        Await.until(Duration.ofSeconds(60), () -> Http.get(song + "/clips/status").status() == 200, "clips planned");
        JsonNode clipsBefore = Http.get(song + "/clips").json();
        assertTrue(clipsBefore.size() > 0, "clips were planned");

        // the stored original becomes unreadable, then a re-analysis is asked for
        try (var files = Files.list(data.resolve("audio"))) {
            Path stored = files.filter(p -> p.getFileName().toString().startsWith(id)).findFirst().orElseThrow();
            Files.write(stored, "RIFF but nothing after it".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        assertEquals(202, Http.post(song + "/analyze").status());
        JsonNode failed = Http.awaitSong(base, id, Duration.ofSeconds(60), "failed");
        assertFalse(failed.path("error").asText().isBlank(), failed.toString());
        assertEquals("local", failed.path("analysisSource").asText(), "the stored analysis' source stays");

        Http.Response analysis = Http.get(song + "/analysis");
        assertEquals(200, analysis.status(), analysis.body());
        assertEquals(before.path("sections"), analysis.json().path("sections"), "the previous analysis is served");
        assertEquals(before.path("beatTimes"), analysis.json().path("beatTimes"));
        Http.Response clips = Http.get(song + "/clips");
        assertEquals(200, clips.status());
        assertEquals(clipsBefore.size(), clips.json().size(), "the clips are kept");

        // a song never analysed has no analysis (404 with its status)
        Http.Response none = Http.get(base + "/api/v1/songs/00000000-0000-0000-0000-000000000000/analysis");
        assertEquals(404, none.status());
    }
}
