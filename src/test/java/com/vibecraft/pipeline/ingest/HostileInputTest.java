package com.vibecraft.pipeline.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.vibecraft.pipeline.App;
import com.vibecraft.pipeline.support.Await;
import com.vibecraft.pipeline.support.HostileCorpus;
import com.vibecraft.pipeline.support.HostileCorpus.Hostile;
import com.vibecraft.pipeline.support.Http;
import com.vibecraft.pipeline.support.TestAudio;
import com.vibecraft.pipeline.support.TestEnvironment;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 6's bad-input suite: a generated corpus of hostile files (HostileCorpus) and hostile
 * requests. Each gets its documented answer with a clear JSON message; nothing refused is stored (no
 * row, no file); the service stays up; odd but real audio is accepted and analysed; the same files
 * dropped into the inbox end in {@code .done/} or in {@code .failed/} with their reason. Prints the
 * peak heap of the test JVM (service and test together) per file.
 */
@CamelMainTest(mainClass = App.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTest {

    static final int MAX_DURATION_SEC = 60;
    static Path dataDir;
    static Path inbox;
    static List<Hostile> corpus;
    /** Songs the suite meant to store: the accepted odd files and the hostile file names. */
    final Set<String> accepted = new HashSet<>();

    @BeforeAll
    static void environment() throws IOException {
        dataDir = TestEnvironment.prepare("hostile", Map.of(
                "vibecraft.upload.max-duration-sec", String.valueOf(MAX_DURATION_SEC),
                "vibecraft.worker.enabled", "false"));
        inbox = dataDir.resolve("inbox");
        corpus = HostileCorpus.write(dataDir.resolveSibling(dataDir.getFileName() + "-corpus"), MAX_DURATION_SEC);
        TestEnvironment.deleteOnExit(dataDir.resolveSibling(dataDir.getFileName() + "-corpus"));
    }

    private static String api(String path) {
        return TestEnvironment.baseUrl() + "/api/v1" + path;
    }

    @Test
    @Order(1)
    void everyHostileFileGetsItsAnswerAndNothingHalfStored() {
        assertTrue(corpus.size() >= 30, "corpus of " + corpus.size());
        List<String> report = new ArrayList<>();
        long worst = 0;
        for (Hostile h : corpus) {
            resetPeaks();
            Http.Response r = Http.uploadFile(api("/songs"), h.filename(), h.file());
            long peak = heapPeakMb();
            worst = Math.max(worst, peak);
            report.add(String.format(Locale.ROOT, "%-48s %-22s -> %d  peak heap %4d MB  %s", h.what(), h.filename(),
                    r.status(), peak, r.status() == 201 ? "" : r.json().path("detail").asText()));
            assertEquals(h.status(), r.status(), h.what() + ": " + r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), h.what());
            if (h.status() == 201) {
                String id = r.json().path("id").asText();
                accepted.add(id);
                JsonNode song = Http.awaitSong(TestEnvironment.baseUrl(), id, Duration.ofSeconds(60), "analyzed", "failed");
                assertEquals("analyzed", song.path("status").asText(), h.what() + ": " + song);
                assertTrue(song.path("durationSec").asDouble() > 1 && song.path("durationSec").asDouble() < 10, song.toString());
            } else {
                assertEquals(h.status(), r.json().path("status").asInt(), h.what());
                String detail = r.json().path("detail").asText();
                assertTrue(detail.contains(h.detail()), h.what() + ": '" + detail + "' lacks '" + h.detail() + "'");
                assertFalse(detail.contains("Exception") || detail.contains("\tat "), detail);
            }
            assertUp();
        }
        System.out.println("Hostile uploads (peak heap of the test JVM, service included, while each was handled):");
        report.forEach(line -> System.out.println("  " + line));
        System.out.println("  worst peak heap: " + worst + " MB");
        assertStoredExactly(accepted);
    }

    @Test
    @Order(2)
    void hostileFileNamesBecomeHarmlessDisplayNames() throws IOException {
        String[] names = {"../../../etc/passwd.wav", "..\\..\\windows\\win.ini.wav", "a\u0000b.wav",
            "x".repeat(300) + ".wav", "Ünïcødé 歌 🎵.wav", "..", "name\r\nX-Injected: 1.wav", "\u202Egnp.wav"};
        int i = 0;
        for (String name : names) {
            byte[] wav = TestAudio.wav(TestAudio.sine(8000, 2, 300 + 37 * i++, 0.5), 8000);
            Path tmp = Files.createTempFile("name", ".wav");
            Files.write(tmp, wav);
            Http.Response r = Http.uploadFile(api("/songs"), name, tmp);
            Files.delete(tmp);
            assertEquals(201, r.status(), name + ": " + r.body());
            accepted.add(r.json().path("id").asText());
            String stored = r.json().path("originalFilename").asText(null);
            if (stored != null) {
                assertFalse(stored.contains("/") || stored.contains("\\") || stored.contains("\u0000")
                        || stored.contains("\r") || stored.contains("\n") || stored.startsWith("."), stored);
                assertTrue(stored.codePointCount(0, stored.length()) <= 255, stored);
            }
        }
        assertEquals("Ünïcødé 歌 🎵.wav", Http.get(api("/songs?limit=500")).json().findValuesAsText("originalFilename")
                .stream().filter(n -> n.startsWith("Ü")).findFirst().orElse(null));
        // nothing was written outside the data directory's audio folder
        assertFalse(Files.exists(dataDir.resolve("etc")) || Files.exists(dataDir.getParent().resolve("etc/passwd.wav")));
        assertStoredExactly(accepted);
    }

    @Test
    @Order(3)
    void hostileRequestsGetClearErrors() {
        String songs = api("/songs");
        byte[] wav = TestAudio.wav(TestAudio.sine(8000, 1, 440, 0.5), 8000);
        assertError(Http.uploadMany(songs, "file", wav, wav), 400, "exactly one file");
        assertError(Http.upload(songs, "file", null, null, "a title and no file"), 400, "field 'file'");
        assertError(Http.upload(songs, "audio", "a.wav", wav, null), 400, "field 'file'");
        assertError(Http.upload(songs, "file", "a.wav", wav, "t".repeat(100_000)), 400, "form field");
        assertError(send("POST", songs, "application/json", "{\"file\": 42, \"title\": [1, 2]}"), 400, "multipart/form-data");
        assertError(send("POST", songs, "text/plain", "hello"), 400, "multipart/form-data");
        assertError(send("POST", songs, "multipart/form-data", "--x\r\n"), 400, "");
        assertError(send("POST", songs, "multipart/form-data; boundary=zz", "no parts at all"), 400, "");
        // wrong types where the API takes values: paging
        assertError(Http.get(songs + "?limit=abc"), 400, "limit");
        assertError(Http.get(songs + "?limit=-1"), 400, "limit");
        assertError(Http.get(songs + "?offset=1.5"), 400, "offset");
        assertError(Http.get(songs + "?limit=99999999999999999999"), 400, "limit");
        // malformed and unknown ids are 404 everywhere
        for (String id : new String[] {"not-a-uuid", "00000000-0000-0000-0000-000000000000", "%00", "1".repeat(400),
            "'%20OR%201=1--", "..%2F..%2Fetc"}) {
            assertError(Http.get(api("/songs/" + id)), 404, "");
            assertError(Http.get(api("/songs/" + id + "/analysis")), 404, "");
            assertError(Http.get(api("/songs/" + id + "/audio")), 404, "");
            assertError(Http.post(api("/songs/" + id + "/analyze")), 404, "");
            assertError(Http.post(api("/songs/" + id + "/clips/" + id + "/retry")), 404, "");
            assertError(Http.get(api("/clips/" + id + "/video")), 404, "");
        }
        // a Range outside the file
        String id = accepted.iterator().next();
        Http.Response whole = Http.get(api("/songs/" + id + "/audio"));
        long size = whole.bytes().length;
        assertError(Http.get(api("/songs/" + id + "/audio"), "Range", "bytes=" + (size + 10) + "-"), 416, "");
        assertError(Http.get(api("/songs/" + id + "/audio"), "Range", "bytes=" + size + "-" + (size + 100)), 416, "");
        assertEquals(206, Http.get(api("/songs/" + id + "/audio"), "Range", "bytes=0-0").status());
        assertUp();
        assertStoredExactly(accepted);
    }

    @Test
    @Order(4)
    void theSameFilesInTheInboxEndInDoneOrFailedWithTheirReason() throws Exception {
        Files.createDirectories(inbox);
        for (Hostile h : corpus) {
            // written under a hidden name first, then renamed, as a well-behaved dropper does
            Path part = inbox.resolve("." + h.filename() + ".part");
            Files.copy(h.file(), part);
            Files.move(part, inbox.resolve(h.filename()));
        }
        Await.until(Duration.ofSeconds(120), 200, () -> inboxFiles() == 0, () -> "the inbox emptied");
        try (Stream<Path> left = Files.list(inbox)) {
            assertEquals(List.of(), left.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList(),
                    "files left in the inbox");
        }
        for (Hostile h : corpus) {
            if (h.status() == 201) {
                // the same bytes were uploaded before: taken as the existing song, moved to .done
                assertNotNull(find(inbox.resolve(".done"), "-" + h.filename()), h.what());
            } else {
                Path failed = find(inbox.resolve(".failed"), "-" + h.filename());
                assertNotNull(failed, h.what() + " in .failed");
                Path reason = failed.resolveSibling(failed.getFileName() + ".error.txt");
                String text = Files.readString(reason, StandardCharsets.UTF_8);
                assertTrue(text.contains(h.detail()), h.what() + ": " + text);
            }
        }
        assertUp();
        assertStoredExactly(accepted);
    }

    // ------------------------------------------------------------------ helpers

    private static void assertError(Http.Response r, int status, String detailPart) {
        assertEquals(status, r.status(), r.body());
        JsonNode json = r.json();
        assertEquals(status, json.path("status").asInt(), r.body());
        String detail = json.path("detail").asText();
        assertFalse(detail.isBlank(), r.body());
        assertTrue(detail.contains(detailPart), "'" + detail + "' lacks '" + detailPart + "'");
    }

    private static Http.Response send(String method, String url, String contentType, String body) {
        return Http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static void assertUp() {
        assertEquals(200, Http.get(TestEnvironment.baseUrl() + "/healthz").status(), "the service is up");
    }

    /** The database holds exactly these songs, each with its audio file, and no upload is left half-received. */
    private static void assertStoredExactly(Set<String> ids) {
        JsonNode list = Http.get(api("/songs?limit=500")).json();
        Set<String> rows = new HashSet<>(list.findValuesAsText("id"));
        assertEquals(ids, rows, "song rows");
        try {
            assertEquals(ids.size(), countFiles(dataDir.resolve("audio")), "one stored file per song");
            for (String dir : new String[] {"staging", "uploads"}) {
                assertEquals(0, countFiles(dataDir.resolve(dir)), "no file left in " + dir);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static long countFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.startsWith(dir.resolve(".done"))
                    && !p.startsWith(dir.resolve(".failed"))).count();
        }
    }

    /** Files waiting in the inbox; the service moves files while this counts, so a vanished file means "count again". */
    private static long inboxFiles() throws IOException {
        for (;;) {
            try {
                return countFiles(inbox);
            } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
                Thread.onSpinWait();
            }
        }
    }

    private static Path find(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).findFirst().orElse(null);
        }
    }

    private static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long heapPeakMb() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum >> 20;
    }
}
