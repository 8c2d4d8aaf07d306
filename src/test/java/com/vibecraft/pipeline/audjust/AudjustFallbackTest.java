package com.vibecraft.pipeline.audjust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.vibecraft.pipeline.App;
import com.vibecraft.pipeline.support.AnalysisChecks;
import com.vibecraft.pipeline.support.Await;
import com.vibecraft.pipeline.support.Http;
import com.vibecraft.pipeline.support.TestAudio;
import com.vibecraft.pipeline.support.TeeStream;
import com.vibecraft.pipeline.support.TestEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Audjust behind the circuit breaker, against a real local HTTP server that plays it. */
@CamelMainTest(mainClass = App.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AudjustFallbackTest {

    static final int RATE = 8000;
    static FakeAudjust audjust;
    static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    static PrintStream originalErr;
    static final Random RANDOM = new Random();

    @BeanInject
    CamelContext context;

    @BeforeAll
    static void environment() throws Exception {
        audjust = new FakeAudjust();
        originalErr = System.err;
        // the service logs to stderr (slf4j-simple); keep a copy to look for the key afterwards
        System.setErr(new PrintStream(new TeeStream(originalErr, LOG), true, StandardCharsets.UTF_8));
        TestEnvironment.prepare("audjust", Map.of(
                "vibecraft.audjust.base-url", audjust.baseUrl(),
                "vibecraft.audjust.api-key", FakeAudjust.KEY,
                "vibecraft.audjust.timeout-sec", "1",
                "vibecraft.audjust.breaker.window-size", "3",
                "vibecraft.audjust.breaker.minimum-calls", "3",
                "vibecraft.audjust.breaker.open-wait-sec", "2",
                "vibecraft.audjust.breaker.timeout-sec", "5",
                "vibecraft.analysis.concurrency", "1"));
    }

    @AfterAll
    static void cleanup() {
        System.setErr(originalErr);
        audjust.close();
    }

    @BeforeEach
    void closeBreaker() {
        breaker().getCircuitBreaker().reset();
        audjust.mode = FakeAudjust.Mode.OK_SECTIONS;
        audjust.requests.clear();
    }

    private ResilienceProcessor breaker() {
        return context.getProcessor("audjust-breaker", ResilienceProcessor.class);
    }

    /** A 12-second song with different bytes each time (no de-duplication between cases). */
    private static JsonNode analyse() {
        float[] tone = TestAudio.sine(RATE, 12, 200 + RANDOM.nextInt(600), 0.3);
        tone[RANDOM.nextInt(tone.length)] += 0.01f + RANDOM.nextFloat() * 0.1f;
        tone[RANDOM.nextInt(tone.length)] += 0.01f + RANDOM.nextFloat() * 0.1f;
        byte[] wav = TestAudio.wav(tone, RATE);
        Http.Response r = Http.upload(TestEnvironment.baseUrl(), "song.wav", wav);
        assertEquals(201, r.status(), r.body());
        JsonNode song = Http.awaitSong(TestEnvironment.baseUrl(), r.json().path("id").asText(), Duration.ofSeconds(30),
                "analyzed", "failed");
        assertEquals("analyzed", song.path("status").asText(), song.toString());
        return song;
    }

    private static JsonNode analysisOf(JsonNode song) {
        return Http.get(TestEnvironment.baseUrl() + "/api/v1/songs/" + song.path("id").asText() + "/analysis").json();
    }

    @Order(1)
    @ParameterizedTest
    @EnumSource(value = FakeAudjust.Mode.class, names = {"OK_SECTIONS", "OK_RESULT_SECTIONS"})
    void audjustSectionsAreNamed(FakeAudjust.Mode mode) {
        audjust.mode = mode;
        JsonNode song = analyse();
        assertEquals("audjust", song.path("analysisSource").asText(), song.toString());
        assertTrue(song.path("fallbackReason").isNull());
        JsonNode analysis = analysisOf(song);
        assertEquals("audjust", analysis.path("analysisSource").asText());
        JsonNode sections = analysis.path("sections");
        // labels 100/110 cluster (3 times, the chorus by occurrence), 400 twice (verse), 700 once at the end
        assertEquals("chorus", sections.get(0).path("type").asText(), sections.toString());
        assertEquals("verse", sections.get(1).path("type").asText());
        assertEquals(sections.get(0).path("repetitionGroup").asInt(), sections.get(2).path("repetitionGroup").asInt());
        assertEquals("Chorus 1", sections.get(0).path("displayName").asText());
        assertEquals("Outro", sections.get(5).path("displayName").asText());
        assertTrue(analysis.path("bpm").isNumber());
        // Audjust gives sections only: key, mood and genre come from our own DSP, for its sections too
        AnalysisChecks.assertDescribed(analysis);

        FakeAudjust.Request get = audjust.requests.get(0);
        FakeAudjust.Request put = audjust.requests.get(1);
        FakeAudjust.Request post = audjust.requests.get(2);
        assertEquals("GET", get.method());
        assertEquals(FakeAudjust.KEY, get.apiKey());
        assertEquals("PUT", put.method());
        assertNull(put.apiKey(), "no key to the storage URL");
        byte[] original = Http.get(TestEnvironment.baseUrl() + "/api/v1/songs/" + song.path("id").asText() + "/audio").bytes();
        assertArrayEquals(original, put.body(), "the raw audio bytes are PUT");
        assertEquals("POST", post.method());
        assertEquals(FakeAudjust.KEY, post.apiKey());
        assertTrue(post.contentType().startsWith("application/json"));
        assertEquals("{\"sourceFileUrl\":\"https://files.example/a.bin\"}", new String(post.body(), StandardCharsets.UTF_8));
        assertEquals("/api/upload", get.path(), "base URL and path joined with one slash");
        for (FakeAudjust.Request r : audjust.requests) {
            assertTrue(r.headerNames().stream().noneMatch(h -> h.equalsIgnoreCase("songId") || h.startsWith("Camel")),
                    "no header of ours leaves: " + r.headerNames());
        }
    }

    @Order(2)
    @ParameterizedTest
    @EnumSource(value = FakeAudjust.Mode.class, names = {"UPLOAD_401", "UPLOAD_500", "PUT_401", "PUT_500",
            "STRUCTURE_401", "STRUCTURE_500", "UPLOAD_SLOW", "STRUCTURE_SLOW", "UPLOAD_INVALID_JSON",
            "STRUCTURE_INVALID_JSON", "MISSING_STORAGE_URL", "EMPTY_SECTIONS", "STORAGE_REFUSED"})
    void everyAudjustFailureFallsBackToTheLocalDetector(FakeAudjust.Mode mode) {
        audjust.mode = mode;
        JsonNode song = analyse();
        assertEquals("local", song.path("analysisSource").asText(), song.toString());
        assertTrue(song.path("fallbackReason").asText().startsWith("Audjust failed"), song.toString());
        assertTrue(analysisOf(song).path("sections").size() >= 1);
        assertTrue(audjust.uploadCalls.get() > 0);
    }

    @Order(3)
    @Test
    void connectionRefusedFallsBackToo() throws Exception {
        audjust.stop();
        try {
            JsonNode song = analyse();
            assertEquals("local", song.path("analysisSource").asText(), song.toString());
        } finally {
            audjust = restartOnSamePort();
        }
    }

    private static FakeAudjust restartOnSamePort() throws Exception {
        // the base URL is fixed at start-up, so the replacement must listen where the old one did
        String base = audjust.baseUrl();
        int port = Integer.parseInt(base.replaceAll(".*:(\\d+)/.*", "$1"));
        for (int i = 0; i < 50; i++) {
            try {
                return FakeAudjust.onPort(port);
            } catch (java.net.BindException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("could not restart the fake Audjust on " + port);
    }

    @Order(4)
    @Test
    void breakerOpensStopsCallingAndClosesAfterTheWait() throws Exception {
        audjust.mode = FakeAudjust.Mode.UPLOAD_500;
        int before = audjust.uploadCalls.get();
        for (int i = 0; i < 3; i++) {
            assertEquals("local", analyse().path("analysisSource").asText());
        }
        assertEquals(before + 3, audjust.uploadCalls.get());
        assertEquals("OPEN", breaker().getCircuitBreakerState());

        audjust.mode = FakeAudjust.Mode.OK_SECTIONS;
        JsonNode whileOpen = analyse();
        assertEquals("local", whileOpen.path("analysisSource").asText());
        assertTrue(whileOpen.path("fallbackReason").asText().contains("OPEN"), whileOpen.toString());
        assertEquals(before + 3, audjust.uploadCalls.get(), "no call reaches Audjust while the breaker is open");

        // the breaker goes half-open on its own once its open wait (2 s) has run out
        Await.until(Duration.ofSeconds(10), () -> "HALF_OPEN".equals(breaker().getCircuitBreakerState()),
                "the breaker half-open after its open wait");
        JsonNode recovered = analyse();
        assertEquals("audjust", recovered.path("analysisSource").asText(), recovered.toString());
        assertEquals("CLOSED", breaker().getCircuitBreakerState());
    }

    @Order(5)
    @Test
    void theApiKeyAndTheSignedStorageUrlNeverShowInLogsOrResponses() {
        audjust.mode = FakeAudjust.Mode.PUT_500;
        JsonNode song = analyse();
        assertEquals("Audjust failed: HTTP 500 at step 2 (audio PUT to the storage URL)",
                song.path("fallbackReason").asText());
        audjust.mode = FakeAudjust.Mode.STRUCTURE_500;
        analyse();
        String everything = song.toString() + analysisOf(song) + Http.get(TestEnvironment.baseUrl() + "/api/v1/songs?limit=500").body();
        assertFalse(everything.contains(FakeAudjust.KEY), "key in an API response");
        assertFalse(everything.contains("SIGNATURE123"), "signed storage URL in an API response");
        String log = LOG.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("analysed by local"), "the log capture works");
        assertFalse(log.contains(FakeAudjust.KEY), "key in the log");
        assertFalse(log.contains("SIGNATURE123"), "signed storage URL in the log");
    }
}
