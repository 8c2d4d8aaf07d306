package com.vibecraft.pipeline.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.vibecraft.pipeline.App;
import com.vibecraft.pipeline.support.Http;
import com.vibecraft.pipeline.support.TeeStream;
import com.vibecraft.pipeline.support.TestAudio;
import com.vibecraft.pipeline.support.TestEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The API token on the real service (vibecraft.api-token set, reads open): every POST answers 401
 * without the token, 403 with a wrong one and does its work with the right one; a refused upload
 * stores nothing; CORS answers the configured origin's preflight; the token is never logged or echoed.
 */
@CamelMainTest(mainClass = App.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiTokenTest {

    static final int RATE = 22050;
    static final String TOKEN = "tok-" + UUID.randomUUID();
    static final String WRONG = "tok-" + UUID.randomUUID();
    static final String ORIGIN = "https://app.example.com";
    static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    static final StringBuilder RESPONSES = new StringBuilder();
    static PrintStream originalErr;
    static PrintStream originalOut;
    static Path dataDir;
    static String songId;

    @BeforeAll
    static void environment() {
        // everything the service logs from start-up on (slf4j-simple writes to the current System.err)
        originalErr = System.err;
        originalOut = System.out;
        System.setErr(new PrintStream(new TeeStream(originalErr, LOG), true));
        System.setOut(new PrintStream(new TeeStream(originalOut, LOG), true));
        dataDir = TestEnvironment.prepare("token", Map.of(
                "vibecraft.api-token", TOKEN,
                "vibecraft.cors.allowed-origins", ORIGIN + ", http://localhost:5173",
                "vibecraft.clips.max-sec", "6",
                "vibecraft.worker.concurrency", "1",
                "vibecraft.redis.prefix", "token-" + System.nanoTime()));
    }

    @AfterAll
    static void restoreStreams() {
        System.setErr(originalErr);
        System.setOut(originalOut);
    }

    static String base() {
        return TestEnvironment.baseUrl();
    }

    /** 16 s of the test song's A part at 120 BPM: a few short clips, quick to analyse and render. */
    static byte[] shortSong() {
        return TestAudio.wav(Arrays.copyOf(TestAudio.abab(RATE, System.nanoTime()), RATE * 16), RATE);
    }

    static Http.Response post(String path, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).POST(HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return record(Http.send(b.build()));
    }

    static Http.Response upload(String authorization, byte[] wav) {
        String boundary = "----tok" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"t.wav\"\r\n"
                + "Content-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(wav);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + "/api/v1/songs"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return record(Http.send(b.build()));
    }

    static Http.Response record(Http.Response r) {
        RESPONSES.append(r.status()).append(' ').append(r.headers().map()).append(' ').append(r.body()).append('\n');
        return r;
    }

    /** 401 without a token (or with another scheme), 403 with a wrong one; JSON errors; nothing done. */
    static void assertRefused(java.util.function.Function<String, Http.Response> call) {
        for (String auth : new String[] {null, "Basic " + TOKEN, "Bearer", "Bearer    "}) {
            Http.Response r = call.apply(auth);
            assertEquals(401, r.status(), auth + ": " + r.body());
            assertEquals("Bearer realm=\"vibecraft\"", r.headers().firstValue("WWW-Authenticate").orElse(null));
            assertError(r, 401, "Authorization: Bearer");
        }
        for (String auth : new String[] {"Bearer " + WRONG, "Bearer " + TOKEN + "x", "Bearer " + TOKEN.substring(1)}) {
            Http.Response r = call.apply(auth);
            assertEquals(403, r.status(), auth + ": " + r.body());
            assertError(r, 403, "not this service's API token");
        }
    }

    static void assertError(Http.Response r, int status, String detailPart) {
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
        JsonNode e = r.json();
        assertEquals(status, e.path("status").asInt(), r.body());
        assertFalse(e.path("error").asText().isBlank(), r.body());
        assertTrue(e.path("detail").asText().contains(detailPart), r.body());
        assertEquals(Set.of("status", "error", "detail"), fieldNames(e));
    }

    static Set<String> fieldNames(JsonNode n) {
        Set<String> out = new TreeSet<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    @Order(1)
    void refusedUploadsStoreNothing() throws Exception {
        Set<String> before = files();
        byte[] wav = shortSong(); // ~700 KB: more than the server reads before answering
        assertRefused(auth -> upload(auth, wav));
        byte[] tiny = TestAudio.wav(TestAudio.sine(RATE, 0.5, 440, 0.5), RATE); // under the small-body limit
        assertEquals(401, upload(null, tiny).status());
        assertEquals(403, upload("Bearer " + WRONG, tiny).status());
        // a 20 MB upload streaming in is answered at once, not read to the end
        String answer = streamUpload(20 << 20, "Bearer " + WRONG);
        assertTrue(answer.startsWith("HTTP/1.1 403"), answer);
        assertEquals(0, Http.get(base() + "/api/v1/songs").json().size(), "a refused upload made a song");
        assertEquals(before, files(), "a refused upload left a file");
        // the connection the refused requests used is still good for the next one
        assertEquals(200, Http.get(base() + "/api/v1/songs").status());
    }

    @Test
    @Order(2)
    void everyPostWorksWithTheToken() throws Exception {
        Http.Response created = upload("Bearer " + TOKEN, shortSong());
        assertEquals(201, created.status(), created.body());
        songId = created.json().path("id").asText();
        // the scheme name is case-insensitive (RFC 7235)
        assertEquals(200, upload("bearer " + TOKEN, Files.readAllBytes(storedAudio())).status());
        Http.awaitSong(base(), songId, Duration.ofSeconds(60), "analyzed");
        JsonNode clips = awaitAllCompleted();
        String clipId = clips.path("clips").get(0).path("id").asText();

        String retry = "/api/v1/songs/" + songId + "/clips/" + clipId + "/retry";
        assertRefused(auth -> post(retry, auth));
        Http.Response retried = post(retry, "Bearer " + TOKEN);
        assertEquals(202, retried.status(), retried.body());
        // the running worker may already have taken it by the time the answer is written
        assertEquals(clipId, retried.json().path("id").asText(), retried.body());
        assertTrue(Set.of("queued", "processing", "completed").contains(retried.json().path("status").asText()),
                retried.body());
        awaitAllCompleted();

        String plan = "/api/v1/songs/" + songId + "/clips";
        assertRefused(auth -> post(plan, auth));
        Http.Response planned = post(plan, "Bearer " + TOKEN);
        assertEquals(202, planned.status(), planned.body());
        assertTrue(planned.json().path("totalClips").asInt() > 0, planned.body());
        awaitAllCompleted();

        String analyze = "/api/v1/songs/" + songId + "/analyze";
        assertRefused(auth -> post(analyze, auth));
        Http.Response analysing = post(analyze, "Bearer " + TOKEN);
        assertEquals(202, analysing.status(), analysing.body());
        Http.awaitSong(base(), songId, Duration.ofSeconds(60), "analyzed");

        // a POST to a path that is not an endpoint is refused first: nothing is told without the token
        assertEquals(401, post("/api/v1/nothing-here", null).status());
    }

    @Test
    @Order(3)
    void readsStayOpenByDefault() {
        assertEquals(200, Http.get(base() + "/api/v1/songs").status());
        assertEquals(200, Http.get(base() + "/api/v1/songs/" + songId).status());
        assertEquals(200, Http.get(base() + "/api/v1/songs/" + songId + "/analysis").status());
        assertEquals(200, Http.get(base() + "/api/v1/songs/" + songId + "/audio").status());
        assertEquals(200, Http.head(base() + "/api/v1/songs/" + songId + "/audio").status());
        assertEquals(200, Http.get(base() + "/api/v1/openapi.json").status());
        assertEquals(200, Http.get(base() + "/healthz").status());
    }

    @Test
    @Order(4)
    void corsAnswersTheConfiguredOrigin() {
        Http.Response preflight = record(Http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/songs"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type").build()));
        assertEquals(204, preflight.status(), preflight.body());
        assertEquals(ORIGIN, preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        String methods = preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("");
        assertTrue(methods.contains("POST") && methods.contains("GET"), methods);
        String headers = preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase();
        assertTrue(headers.contains("authorization") && headers.contains("content-type"), headers);
        assertEquals("600", preflight.headers().firstValue("Access-Control-Max-Age").orElse(null));

        // the second origin of the list too
        Http.Response other = record(Http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/songs"))
                .GET().header("Origin", "http://localhost:5173").build()));
        assertEquals(200, other.status());
        assertEquals("http://localhost:5173", other.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        assertTrue(other.headers().firstValue("Access-Control-Expose-Headers").orElse("").contains("Location"));

        // a refusal is readable by the page (CORS headers on the 401)
        Http.Response refused = record(Http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/songs/" + songId + "/analyze"))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Origin", ORIGIN).build()));
        assertEquals(401, refused.status());
        assertEquals(ORIGIN, refused.headers().firstValue("Access-Control-Allow-Origin").orElse(null));

        // another origin gets no CORS permission, and a JSON refusal
        Http.Response stranger = record(Http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/songs"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example.net")
                .header("Access-Control-Request-Method", "POST").build()));
        assertEquals(403, stranger.status());
        assertTrue(stranger.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), stranger.headers().toString());
        assertError(stranger, 403, "evil.example.net");
    }

    @Test
    @Order(5)
    void theTokenIsNeverLoggedNorEchoed() {
        String log = LOG.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("API access: token required for POST"), "the start-up line is missing");
        assertTrue(log.contains("wrong API token"), "refusals are not logged");
        assertFalse(log.contains(TOKEN), "the API token appears in the log");
        assertFalse(log.contains(WRONG), "a presented token appears in the log");
        assertFalse(log.contains(TOKEN.substring(4)), "part of the API token appears in the log");
        assertTrue(RESPONSES.length() > 1000, "no responses recorded");
        assertFalse(RESPONSES.toString().contains(TOKEN.substring(4)), "a response echoes the API token");
        assertFalse(RESPONSES.toString().contains(WRONG.substring(4)), "a response echoes a presented token");
    }

    private static JsonNode awaitAllCompleted() {
        return Http.awaitClips(base(), songId, Duration.ofSeconds(120), Http::allClipsCompleted);
    }

    private static Path storedAudio() throws IOException {
        try (Stream<Path> all = Files.walk(dataDir.resolve("audio"))) {
            return all.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
    }

    /** Every file under the data directory except the database's and Redis'. */
    private static Set<String> files() throws IOException {
        try (Stream<Path> all = Files.walk(dataDir)) {
            return all.filter(Files::isRegularFile).map(p -> dataDir.relativize(p).toString())
                    .filter(p -> !p.startsWith("db") && !p.startsWith("redis") && !p.startsWith("inbox"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** Streams a multipart upload of {@code total} bytes from another thread; returns the first answer read. */
    private static String streamUpload(int total, String authorization) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), TestEnvironment.port())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            Thread writer = new Thread(() -> {
                try {
                    String head = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.wav\"\r\n\r\n";
                    out.write(("POST /api/v1/songs HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + authorization
                            + "\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: "
                            + (head.length() + total) + "\r\n\r\n" + head).getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = new byte[64 * 1024];
                    for (int sent = 0; sent < total; sent += chunk.length) {
                        out.write(chunk);
                    }
                } catch (IOException expected) {
                    // the server answered and closed the connection
                }
            });
            writer.setDaemon(true);
            writer.start();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            StringBuilder b = new StringBuilder();
            int n;
            while (!b.toString().contains("}") && (n = in.read(buf)) > 0) {
                b.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            RESPONSES.append(b).append('\n');
            return b.toString();
        }
    }
}
