package com.vibecraft.pipeline.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.vibecraft.pipeline.App;
import com.vibecraft.pipeline.ingest.InboxBackoff;
import com.vibecraft.pipeline.support.AnalysisChecks;
import com.vibecraft.pipeline.support.Await;
import com.vibecraft.pipeline.support.Http;
import com.vibecraft.pipeline.support.TestAudio;
import com.vibecraft.pipeline.support.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The whole way from an upload (or an inbox file) to named sections, on the real service: HTTP
 * server, H2 or PostgreSQL, Redis, the analysis queue and the local detector.
 */
@CamelMainTest(mainClass = App.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SongFlowTest {

    static final int RATE = 22050;
    static Path dataDir;

    @BeanInject
    CamelContext context;

    @BeanInject
    InboxBackoff inboxBackoff;

    @BeforeAll
    static void environment() {
        dataDir = TestEnvironment.prepare("flow", Map.of("vibecraft.inbox.retry-base-ms", "100",
                "vibecraft.inbox.retry-max-sec", "1"));
    }

    private String base() {
        return TestEnvironment.baseUrl();
    }

    @Test
    void uploadedAbabSongIsAnalysedIntoRepeatedSections() {
        NotifyBuilder analysed = new NotifyBuilder(context).fromRoute("analysis-queue").whenCompleted(1).create();
        byte[] wav = TestAudio.wav(TestAudio.abab(RATE, System.nanoTime()), RATE);

        Http.Response created = Http.upload(base() + "/api/v1/songs", "file", "abab song.wav", wav, "A B A B");
        assertEquals(201, created.status(), created.body());
        String id = created.json().path("id").asText();
        assertEquals("/api/v1/songs/" + id, created.headers().firstValue("Location").orElseThrow());
        assertEquals("A B A B", created.json().path("title").asText());
        assertEquals(60.0, created.json().path("durationSec").asDouble(), 0.05);

        assertTrue(analysed.matches(60, TimeUnit.SECONDS), "analysis did not finish");
        JsonNode song = Http.awaitSong(base(), id, Duration.ofSeconds(10), "analyzed", "failed");
        assertEquals("analyzed", song.path("status").asText(), song.toString());
        assertEquals(100, song.path("progress").asInt());
        assertEquals("local", song.path("analysisSource").asText());

        JsonNode analysis = Http.get(base() + "/api/v1/songs/" + id + "/analysis").json();
        assertAbab(analysis);
    }

    static void assertAbab(JsonNode analysis) {
        JsonNode sections = analysis.path("sections");
        assertTrue(sections.size() >= 4, "expected at least 4 sections: " + analysis);
        List<Double> starts = new ArrayList<>();
        for (JsonNode s : sections) {
            starts.add(s.path("startSec").asDouble());
            assertFalse(s.path("displayName").asText().isBlank());
            assertTrue(s.has("typeSoft") && s.has("rawLabel") && s.has("confidence") && s.has("energy"));
        }
        for (double truth : new double[] {15, 30, 45}) {
            assertTrue(starts.stream().anyMatch(b -> Math.abs(b - truth) <= 3.0),
                    "no boundary within 3 s of " + truth + ": " + starts);
        }
        // the section holding 7.5 s (A) and 37.5 s (A again) share a repetition group; B likewise
        assertEquals(groupAt(sections, 7.5), groupAt(sections, 37.5), "A parts differ: " + sections);
        assertEquals(groupAt(sections, 22.5), groupAt(sections, 52.5), "B parts differ: " + sections);
        assertTrue(groupAt(sections, 7.5) != groupAt(sections, 22.5), "A and B share a group: " + sections);
        assertEquals(60.0, analysis.path("durationSec").asDouble(), 0.05);
        assertTrue(Math.abs(analysis.path("bpm").asDouble() - 120) < 3
                || Math.abs(analysis.path("bpm").asDouble() - 60) < 1.5
                || Math.abs(analysis.path("bpm").asDouble() - 240) < 5, "bpm " + analysis.path("bpm"));
        assertTrue(analysis.path("beatTimes").size() > 50);
        AnalysisChecks.assertDescribed(analysis);
        // B (loud major chords with a kick) is more energetic than A (soft minor chords)
        assertTrue(sectionAt(sections, 22.5).path("energyLevel").asDouble()
                > sectionAt(sections, 7.5).path("energyLevel").asDouble() + 0.1, sections.toString());
    }

    private static JsonNode sectionAt(JsonNode sections, double t) {
        for (JsonNode s : sections) {
            if (s.path("startSec").asDouble() <= t && t < s.path("endSec").asDouble()) {
                return s;
            }
        }
        throw new AssertionError("no section holds " + t + " s");
    }

    private static int groupAt(JsonNode sections, double t) {
        for (JsonNode s : sections) {
            if (s.path("startSec").asDouble() <= t && t < s.path("endSec").asDouble()) {
                return s.path("repetitionGroup").asInt();
            }
        }
        throw new AssertionError("no section holds " + t + " s");
    }

    @Test
    void inboxFileIsIngestedAnalysedAndMovedToDone() throws Exception {
        Path inbox = dataDir.resolve("inbox");
        Files.createDirectories(inbox);
        NotifyBuilder analysed = new NotifyBuilder(context).fromRoute("analysis-queue").whenCompleted(1).create();
        // written under a .part name first, as a well-behaved producer does
        Path part = TestAudio.writeWav(inbox.resolve("dropped.wav.part"),
                TestAudio.abab(RATE, System.nanoTime()), RATE);
        Thread.sleep(600);
        assertTrue(Files.exists(part), ".part files must not be picked up");
        Files.move(part, inbox.resolve("dropped.wav"));

        assertTrue(analysed.matches(60, TimeUnit.SECONDS), "inbox song was not analysed");
        awaitFile(inbox.resolve(".done"), "-dropped.wav");
        JsonNode songs = Http.get(base() + "/api/v1/songs?limit=100").json();
        JsonNode song = null;
        for (JsonNode s : songs) {
            if ("dropped.wav".equals(s.path("originalFilename").asText())) {
                song = s;
            }
        }
        assertNotNull(song, "inbox song not listed: " + songs);
        JsonNode done = Http.awaitSong(base(), song.path("id").asText(), Duration.ofSeconds(10), "analyzed");
        assertAbab(Http.get(base() + "/api/v1/songs/" + done.path("id").asText() + "/analysis").json());
    }

    @Test
    void inboxRejectsWhatIsNotAudioIntoFailedWithReason() throws Exception {
        Path inbox = dataDir.resolve("inbox");
        Files.createDirectories(inbox);
        Files.write(inbox.resolve("picture.mp3"), png());
        Files.writeString(inbox.resolve(".hidden.wav"), "not for us");
        awaitFile(inbox.resolve(".failed"), "-picture.mp3");
        Path reason = awaitFile(inbox.resolve(".failed"), "-picture.mp3.error.txt");
        assertTrue(Files.readString(reason).contains("not a supported audio format"), Files.readString(reason));
        // a second, different file of the same name does not overwrite the first
        Files.write(inbox.resolve("picture.mp3"), "PK\u0003\u0004 another one".getBytes());
        Await.until(Duration.ofSeconds(30), () -> countEnding(inbox.resolve(".failed"), "-picture.mp3") >= 2,
                "the second picture.mp3 in .failed");
        assertEquals(2, countEnding(inbox.resolve(".failed"), "-picture.mp3"));
        assertEquals(2, countEnding(inbox.resolve(".failed"), "-picture.mp3.error.txt"));
        assertTrue(Files.exists(inbox.resolve(".hidden.wav")), "hidden files are ignored");
        try (Stream<Path> audio = Files.list(dataDir.resolve("audio"))) {
            assertTrue(audio.noneMatch(p -> p.toString().endsWith(".mp3")), "nothing half-stored");
        }
    }

    @Test
    void aPassingFaultLeavesAnInboxFileInTheInboxUntilItIsGone() throws Exception {
        Path inbox = dataDir.resolve("inbox");
        Files.createDirectories(inbox);
        // the audio store is unusable for a while (a file stands where its folder should be)
        Path audio = dataDir.resolve("audio");
        Path aside = dataDir.resolve("audio-aside");
        Files.move(audio, aside);
        Files.writeString(audio, "not a folder");
        Path dropped = TestAudio.writeWav(inbox.resolve("patient.wav"), TestAudio.sine(RATE, 3, 377, 0.3), RATE);
        String key = dropped.toAbsolutePath().toString();
        try {
            Await.until(Duration.ofSeconds(30), 50, () -> inboxBackoff.failures(key) >= 3,
                    () -> "tried again with a back-off: " + inboxBackoff.failures(key));
            assertTrue(inboxBackoff.failures(key) >= 3, "tried again with a back-off: " + inboxBackoff.failures(key));
            assertTrue(Files.exists(dropped), "the file stays in the inbox");
            assertEquals(0, countEnding(inbox.resolve(".failed"), "-patient.wav"), "not refused for a passing fault");
        } finally {
            Files.delete(audio);
            Files.move(aside, audio);
        }
        // the fault is gone: taken in at the next try
        awaitFile(inbox.resolve(".done"), "-patient.wav");
        assertEquals(0, inboxBackoff.failures(key), "its back-off is over");
        boolean listed = false;
        for (JsonNode s : Http.get(base() + "/api/v1/songs?limit=100").json()) {
            listed |= "patient.wav".equals(s.path("originalFilename").asText());
        }
        assertTrue(listed, "the song is stored");
    }

    @Test
    void requestHeadersAreNotEchoedBack() {
        byte[] wav = TestAudio.wav(TestAudio.sine(RATE, 3, 612, 0.3), RATE);
        String id = Http.upload(base(), "echo.wav", wav).json().path("id").asText();
        Http.Response r = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                base() + "/api/v1/songs/" + id)).header("Location", "https://evil.example/").header("X-Test", "echo")
                .GET().build());
        assertEquals(200, r.status());
        assertTrue(r.headers().firstValue("Location").isEmpty());
        assertTrue(r.headers().firstValue("X-Test").isEmpty());
        assertTrue(r.headers().firstValue("songId").isEmpty());
    }

    @Test
    void identicalBytesReturnTheExistingSong() {
        byte[] wav = TestAudio.wav(TestAudio.sine(RATE, 5, 330, 0.4), RATE);
        Http.Response first = Http.upload(base(), "tone.wav", wav);
        assertEquals(201, first.status(), first.body());
        Http.Response second = Http.upload(base(), "other-name.wav", wav);
        assertEquals(200, second.status(), second.body());
        assertEquals(first.json().path("id").asText(), second.json().path("id").asText());
        assertEquals(first.json().path("sha256").asText(), second.json().path("sha256").asText());
    }

    @Test
    void analyzeAgainIs202ThenConflictWhileRunningAndUnknownIs404() throws Exception {
        byte[] wav = TestAudio.wav(TestAudio.sine(RATE, 6, 523.25, 0.4), RATE);
        String id = Http.upload(base(), "again.wav", wav).json().path("id").asText();
        Http.awaitSong(base(), id, Duration.ofSeconds(30), "analyzed");
        // hold the queue so the song stays 'analyzing' while we ask again
        context.getRouteController().stopRoute("analysis-queue");
        try {
            Http.Response accepted = Http.post(base() + "/api/v1/songs/" + id + "/analyze");
            assertEquals(202, accepted.status(), accepted.body());
            assertEquals("analyzing", accepted.json().path("status").asText());
            Http.Response conflict = Http.post(base() + "/api/v1/songs/" + id + "/analyze");
            assertEquals(409, conflict.status(), conflict.body());
            assertEquals("Conflict", conflict.json().path("error").asText());
        } finally {
            context.getRouteController().startRoute("analysis-queue");
        }
        Http.awaitSong(base(), id, Duration.ofSeconds(30), "analyzed");
        assertEquals(404, Http.post(base() + "/api/v1/songs/00000000-0000-0000-0000-000000000000/analyze").status());
    }

    @Test
    void readApiAnswersJsonErrorsAndRanges() {
        byte[] wav = TestAudio.wav(TestAudio.sine(RATE, 3, 440, 0.3), RATE);
        String id = Http.upload(base(), "range.wav", wav).json().path("id").asText();

        Http.Response whole = Http.get(base() + "/api/v1/songs/" + id + "/audio");
        assertEquals(200, whole.status());
        assertArrayEquals(wav, whole.bytes());
        assertEquals("audio/wav", whole.headers().firstValue("Content-Type").orElseThrow());

        Http.Response part = Http.get(base() + "/api/v1/songs/" + id + "/audio", "Range", "bytes=100-199");
        assertEquals(206, part.status());
        assertArrayEquals(Arrays.copyOfRange(wav, 100, 200), part.bytes());
        assertEquals("bytes 100-199/" + wav.length, part.headers().firstValue("Content-Range").orElseThrow());

        Http.Response tail = Http.get(base() + "/api/v1/songs/" + id + "/audio", "Range", "bytes=-10");
        assertArrayEquals(Arrays.copyOfRange(wav, wav.length - 10, wav.length), tail.bytes());

        Http.Response outside = Http.get(base() + "/api/v1/songs/" + id + "/audio", "Range", "bytes=999999999-");
        assertEquals(416, outside.status());
        assertEquals("bytes */" + wav.length, outside.headers().firstValue("Content-Range").orElseThrow());

        for (String path : List.of("/api/v1/songs/not-a-uuid", "/api/v1/songs/00000000-0000-0000-0000-000000000000",
                "/api/v1/songs/not-a-uuid/analysis", "/api/v1/songs/00000000-0000-0000-0000-000000000000/audio")) {
            Http.Response r = Http.get(base() + path);
            assertEquals(404, r.status(), path);
            assertEquals(404, r.json().path("status").asInt());
            assertEquals("Not Found", r.json().path("error").asText());
            assertFalse(r.body().contains("Exception"), r.body());
        }
        assertEquals(400, Http.get(base() + "/api/v1/songs?limit=0").status());
        assertEquals(400, Http.get(base() + "/api/v1/songs?offset=abc").status());
        Http.Response head = Http.head(base() + "/api/v1/songs/" + id + "/audio");
        assertEquals(200, head.status());
        assertEquals(0, head.bytes().length);
        assertEquals(200, Http.get(base() + "/healthz").status());
        assertEquals("UP", Http.get(base() + "/healthz").json().path("status").asText());
    }

    static byte[] png() {
        byte[] b = new byte[2048];
        byte[] magic = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        System.arraycopy(magic, 0, b, 0, magic.length);
        return b;
    }

    /** Waits for a file in {@code dir} whose name ends with {@code suffix} (inbox names get a time stamp in front). */
    static Path awaitFile(Path dir, String suffix) {
        return Await.value(Duration.ofSeconds(30), 100, () -> {
            if (!Files.isDirectory(dir)) {
                return null;
            }
            try (Stream<Path> files = Files.list(dir)) {
                return files.filter(f -> f.getFileName().toString().endsWith(suffix)).findFirst().orElse(null);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, f -> true, "a file ending in " + suffix + " in " + dir);
    }

    static long countEnding(Path dir, String suffix) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).count();
        }
    }
}
