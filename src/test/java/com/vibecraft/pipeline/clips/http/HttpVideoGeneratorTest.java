package com.vibecraft.pipeline.clips.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vibecraft.pipeline.clips.ClipJob;
import com.vibecraft.pipeline.clips.GeneratedClip;
import com.vibecraft.pipeline.clips.http.VideoGenerationException.Reason;
import com.vibecraft.pipeline.support.FakePredictionsApi;
import com.vibecraft.pipeline.support.FakePredictionsApi.Reply;
import com.vibecraft.pipeline.support.FakePredictionsApi.Request;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class HttpVideoGeneratorTest {

    private static final String TOKEN = "r8_SECRET-token-1234567890";
    private static final String MODEL = "acme/video-model:0123abcd";
    private static final String ID = "pred-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private FakePredictionsApi server;

    /** Loads the HTTP client and server classes once, so a cold JVM does not eat the short test deadlines. */
    @BeforeAll
    static void warmUp() throws Exception {
        try (FakePredictionsApi warm = new FakePredictionsApi()) {
            warm.script(r -> Reply.ok("{\"id\":\"w\",\"status\":\"succeeded\",\"output\":\"http://x/w.mp4\"}"));
            new HttpVideoGenerator(new HttpVideoSettings(warm.baseUrl(), "t", MODEL, Duration.ofSeconds(5),
                    Duration.ofMillis(20), Duration.ofSeconds(10))).generate(job());
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = new FakePredictionsApi();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private HttpVideoSettings settings(String token, Duration deadline) {
        return new HttpVideoSettings(server.baseUrl(), token, MODEL,
                Duration.ofSeconds(2), Duration.ofMillis(20), deadline);
    }

    private HttpVideoGenerator generator() {
        return new HttpVideoGenerator(settings(TOKEN, Duration.ofSeconds(5)));
    }

    private static ClipJob job() {
        return job("https://files.example/song.mp3");
    }

    private static ClipJob job(String audioUrl) {
        return new ClipJob(UUID.fromString("00000000-0000-0000-0000-0000000000c1"),
                UUID.fromString("00000000-0000-0000-0000-0000000000a7"),
                UUID.fromString("00000000-0000-0000-0000-00000000005f"),
                "s2", "chorus", "Chorus 1", 12.5, 20.0, 7.5, 24, 180,
                "neon city at night, slow dolly", 424242L, 1, audioUrl);
    }

    private String poll() {
        return server.root() + "/v1/predictions/" + ID;
    }

    private String prediction(String status, String outputJson) {
        return "{\"id\":\"" + ID + "\",\"status\":\"" + status + "\",\"urls\":{\"get\":\"" + poll()
                + "\",\"cancel\":\"" + poll() + "/cancel\"},\"output\":" + outputJson + ",\"error\":null}";
    }

    /** Create answers "starting"; the first {@code processingPolls} polls answer "processing", then {@code last}. */
    private Function<Request, Reply> afterPolls(int processingPolls, String last) {
        AtomicInteger polls = new AtomicInteger();
        return r -> {
            if (r.method().equals("POST") && r.path().equals("/v1/predictions")) {
                return Reply.json(201, prediction("starting", "null"));
            }
            if (r.method().equals("GET") && r.path().equals("/v1/predictions/" + ID)) {
                return polls.incrementAndGet() <= processingPolls ? Reply.ok(prediction("processing", "null"))
                        : Reply.ok(last);
            }
            if (r.method().equals("POST") && r.path().equals("/v1/predictions/" + ID + "/cancel")) {
                return Reply.ok(prediction("canceled", "null"));
            }
            return Reply.json(404, "{\"detail\":\"not found\"}");
        };
    }

    private VideoGenerationException failure(HttpVideoGenerator generator) {
        VideoGenerationException e = assertThrows(VideoGenerationException.class, () -> generator.generate(job()));
        assertNoToken(e);
        return e;
    }

    private static void assertNoToken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(TOKEN), "token leaked: " + t.getMessage());
            assertFalse(t.toString().contains(TOKEN), "token leaked: " + t);
        }
    }

    private static String video(int n) {
        return "https://cdn.example/out-" + n + ".mp4";
    }

    // ---- success -----------------------------------------------------------------------------------------------

    @Test
    void succeedsAfterPollsWithStringOutput() throws Exception {
        server.script(afterPolls(2, prediction("succeeded", "\"" + video(1) + "\"")));

        GeneratedClip clip = generator().generate(job());

        assertEquals(video(1), clip.videoUrl());
        assertEquals(1, server.requests("POST", "/v1/predictions").size());
        assertEquals(3, server.requests("GET", "/v1/predictions/" + ID).size());
        assertTrue(server.requests("POST", "/v1/predictions/" + ID + "/cancel").isEmpty());
    }

    @Test
    void arrayOutputTakesTheLastUrl() throws Exception {
        server.script(afterPolls(1, prediction("succeeded", "[\"" + video(1) + "\",\"" + video(2) + "\"]")));

        assertEquals(video(2), generator().generate(job()).videoUrl());
    }

    @Test
    void objectOutputWithUrlField() throws Exception {
        server.script(afterPolls(1, prediction("succeeded", "{\"url\":\"" + video(3) + "\",\"fps\":24}")));

        assertEquals(video(3), generator().generate(job()).videoUrl());
    }

    @Test
    void objectOutputWithVideoField() throws Exception {
        server.script(afterPolls(0, prediction("succeeded", "{\"video\":\"" + video(4) + "\"}")));

        assertEquals(video(4), generator().generate(job()).videoUrl());
    }

    @Test
    void alreadySucceededOnCreateNeedsNoPoll() throws Exception {
        server.script(r -> Reply.json(201, prediction("succeeded", "\"" + video(5) + "\"")));

        assertEquals(video(5), generator().generate(job()).videoUrl());
        assertEquals(1, server.requests().size());
    }

    @Test
    void pollsUrlsGetWhenGiven() throws Exception {
        String custom = server.root() + "/v1/custom/poll/" + ID;
        server.script(r -> {
            if (r.method().equals("POST")) {
                return Reply.json(201, "{\"id\":\"" + ID + "\",\"status\":\"starting\",\"urls\":{\"get\":\"" + custom
                        + "\"}}");
            }
            return r.path().equals("/v1/custom/poll/" + ID)
                    ? Reply.ok(prediction("succeeded", "\"" + video(6) + "\""))
                    : Reply.json(404, "{}");
        });

        assertEquals(video(6), generator().generate(job()).videoUrl());
        assertEquals("Bearer " + TOKEN, server.requests("GET", "/v1/custom/poll/" + ID).get(0).header("Authorization"));
    }

    @Test
    void pollsConventionalAddressWithoutUrlsGet() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        server.script(r -> {
            if (r.method().equals("POST")) {
                return Reply.json(201, "{\"id\":\"" + ID + "\",\"status\":\"starting\"}");
            }
            if (r.path().equals("/v1/predictions/" + ID)) {
                return polls.incrementAndGet() < 2 ? Reply.ok("{\"id\":\"" + ID + "\",\"status\":\"processing\"}")
                        : Reply.ok("{\"id\":\"" + ID + "\",\"status\":\"succeeded\",\"output\":\"" + video(7) + "\"}");
            }
            return Reply.json(404, "{}");
        });

        assertEquals(video(7), generator().generate(job()).videoUrl());
        assertEquals(2, polls.get());
    }

    @Test
    void tokenIsNotSentToAnotherOrigin() throws Exception {
        // urls.get on a foreign host is ignored: the poll goes to {baseUrl}/predictions/{id} instead
        server.script(r -> r.method().equals("POST")
                ? Reply.json(201, "{\"id\":\"" + ID + "\",\"status\":\"starting\",\"urls\":{\"get\":"
                        + "\"http://198.51.100.7/v1/predictions/" + ID + "\"}}")
                : Reply.ok(prediction("succeeded", "\"" + video(8) + "\"")));

        assertEquals(video(8), generator().generate(job()).videoUrl());
        assertEquals(1, server.requests("GET", "/v1/predictions/" + ID).size());
    }

    // ---- what is sent ------------------------------------------------------------------------------------------

    @Test
    void createSendsTokenIdempotencyKeyAndJsonBody() throws Exception {
        server.script(afterPolls(1, prediction("succeeded", "\"" + video(1) + "\"")));

        generator().generate(job());

        Request create = server.requests("POST", "/v1/predictions").get(0);
        assertEquals("Bearer " + TOKEN, create.header("Authorization"));
        assertEquals("00000000-0000-0000-0000-0000000000a7", create.header("Idempotency-Key"));
        assertTrue(create.header("Content-Type").startsWith("application/json"), create.header("Content-Type"));
        for (Request poll : server.requests("GET", "/v1/predictions/" + ID)) {
            assertEquals("Bearer " + TOKEN, poll.header("Authorization"));
        }

        JsonNode body = JSON.readTree(create.body());
        assertEquals(MODEL, body.get("version").asText());
        JsonNode input = body.get("input");
        assertEquals("neon city at night, slow dolly", input.get("prompt").asText());
        assertEquals(424242L, input.get("seed").asLong());
        assertEquals(180, input.get("num_frames").asInt());
        assertEquals(24, input.get("fps").asInt());
        assertEquals(7.5, input.get("duration").asDouble());
        assertEquals("https://files.example/song.mp3", input.get("audio_url").asText());
        assertEquals(12.5, input.get("start_sec").asDouble());
        assertEquals(20.0, input.get("end_sec").asDouble());
    }

    @Test
    void audioUrlIsLeftOutWhenNull() throws Exception {
        server.script(afterPolls(0, prediction("succeeded", "\"" + video(1) + "\"")));

        generator().generate(job(null));

        JsonNode input = JSON.readTree(server.requests("POST", "/v1/predictions").get(0).body()).get("input");
        assertFalse(input.has("audio_url"));
        assertTrue(input.has("prompt"));
    }

    @Test
    void noAuthorizationHeaderWithoutToken() throws Exception {
        server.script(afterPolls(1, prediction("succeeded", "\"" + video(1) + "\"")));

        new HttpVideoGenerator(settings("  ", Duration.ofSeconds(5))).generate(job());
        new HttpVideoGenerator(settings(null, Duration.ofSeconds(5))).generate(job());

        assertFalse(server.requests().isEmpty());
        for (Request r : server.requests()) {
            assertNull(r.header("Authorization"), r.method() + " " + r.path());
        }
    }

    @Test
    void baseUrlWithTrailingSlashIsJoinedWithOneSlash() throws Exception {
        server.script(afterPolls(0, prediction("succeeded", "\"" + video(1) + "\"")));
        HttpVideoSettings s = new HttpVideoSettings(server.baseUrl() + "/", TOKEN, MODEL,
                Duration.ofSeconds(2), Duration.ofMillis(20), Duration.ofSeconds(5));

        new HttpVideoGenerator(s).generate(job());

        assertEquals("/v1/predictions", server.requests().get(0).path());
    }

    // ---- the job's faults --------------------------------------------------------------------------------------

    @Test
    void failedPredictionCarriesItsError() {
        server.script(afterPolls(1, "{\"id\":\"" + ID + "\",\"status\":\"failed\",\"output\":null,"
                + "\"error\":\"NSFW content detected in prompt\"}"));

        VideoGenerationException e = failure(generator());

        assertEquals(Reason.PREDICTION_FAILED, e.reason());
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("NSFW content detected in prompt"), e.getMessage());
        assertTrue(e.getMessage().contains(ID), e.getMessage());
        assertEquals(ID, e.predictionId().orElseThrow());
    }

    @Test
    void canceledPrediction() {
        server.script(afterPolls(2, prediction("canceled", "null")));

        VideoGenerationException e = failure(generator());

        assertEquals(Reason.PREDICTION_CANCELED, e.reason());
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("canceled"), e.getMessage());
    }

    @Test
    void unprocessableInputOnCreateIsTheJobsFault() {
        server.script(r -> Reply.json(422, "{\"detail\":\"input.num_frames must be <= 121\"}"));

        VideoGenerationException e = failure(generator());

        assertEquals(Reason.HTTP_STATUS, e.reason());
        assertEquals(422, e.httpStatus());
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("422"), e.getMessage());
        assertTrue(e.getMessage().contains("num_frames must be <= 121"), e.getMessage());
    }

    // ---- the service's faults ----------------------------------------------------------------------------------

    @Test
    void http500OnCreate() {
        server.script(r -> Reply.json(500, "{\"detail\":\"internal error, try later\"}"));

        VideoGenerationException e = failure(generator());

        assertEquals(Reason.HTTP_STATUS, e.reason());
        assertEquals(500, e.httpStatus());
        assertTrue(e.retryable());
        assertTrue(e.getMessage().contains("500"), e.getMessage());
        assertTrue(e.getMessage().contains("internal error, try later"), e.getMessage());
        assertTrue(e.predictionId().isEmpty());
        assertEquals(1, server.requests().size());
    }

    @Test
    void http401OnCreateEvenWhenTheServerEchoesTheToken() {
        // a careless server quoting the Authorization header back must not leak it into our message
        server.script(r -> Reply.json(401, "{\"detail\":\"Invalid token: " + r.header("Authorization") + "\"}"));

        VideoGenerationException e = failure(generator());

        assertEquals(401, e.httpStatus());
        assertTrue(e.retryable(), "bad credentials fail every job alike: count them against the service");
        assertTrue(e.getMessage().contains("401"), e.getMessage());
        assertTrue(e.getMessage().contains("Invalid token"), e.getMessage());
    }

    @Test
    void http500OnPoll() {
        AtomicInteger polls = new AtomicInteger();
        server.script(r -> {
            if (r.method().equals("POST")) {
                return Reply.json(201, prediction("starting", "null"));
            }
            return polls.incrementAndGet() < 2 ? Reply.ok(prediction("processing", "null"))
                    : Reply.json(503, "upstream unavailable " + r.header("Authorization"));
        });

        VideoGenerationException e = failure(generator());

        assertEquals(Reason.HTTP_STATUS, e.reason());
        assertEquals(503, e.httpStatus());
        assertTrue(e.retryable());
        assertTrue(e.getMessage().contains("503"), e.getMessage());
        assertTrue(e.getMessage().contains("upstream unavailable"), e.getMessage());
        assertEquals(ID, e.predictionId().orElseThrow());
    }

    @Test
    void invalidJsonOnCreate() {
        server.script(r -> Reply.json(201, "<html>gateway says hi " + r.header("Authorization") + "</html>"));

        VideoGenerationException e = failure(generator());

        assertEquals(Reason.INVALID_RESPONSE, e.reason());
        assertTrue(e.retryable());
        assertTrue(e.getMessage().contains("invalid JSON"), e.getMessage());
    }

    @Test
    void invalidJsonOnPoll() {
        server.script(r -> r.method().equals("POST") ? Reply.json(201, prediction("starting", "null"))
                : Reply.ok("{\"id\": \"" + ID + "\", \"status\": " + r.header("Authorization")));

        VideoGenerationException e = failure(generator());

        assertEquals(Reason.INVALID_RESPONSE, e.reason());
        assertTrue(e.retryable());
    }

    @Test
    void oversizedAnswerIsRejected() {
        String huge = "{\"id\":\"" + ID + "\",\"status\":\"starting\",\"logs\":\""
                + "x".repeat(HttpVideoGenerator.MAX_BODY_BYTES) + "\"}";
        server.script(r -> Reply.json(201, huge));

        VideoGenerationException e = failure(generator());

        assertEquals(Reason.INVALID_RESPONSE, e.reason());
        assertTrue(e.getMessage().contains("larger than"), e.getMessage());
    }

    @Test
    void responseWithoutStatus() {
        server.script(r -> Reply.json(201, "{\"id\":\"" + ID + "\"}"));

        VideoGenerationException e = failure(generator());

        assertEquals(Reason.INVALID_RESPONSE, e.reason());
        assertTrue(e.retryable());
    }

    @Test
    void succeededWithoutOutput() {
        server.script(afterPolls(1, prediction("succeeded", "null")));

        VideoGenerationException e = failure(generator());

        assertEquals(Reason.MISSING_OUTPUT, e.reason());
        assertTrue(e.retryable());
    }

    @Test
    void succeededWithUnusableOutput() {
        server.script(afterPolls(0, prediction("succeeded", "{\"frames\":180}")));

        assertEquals(Reason.MISSING_OUTPUT, failure(generator()).reason());
    }

    @Test
    void deadlineExceededGivesUpInTimeAndCancels() {
        server.script(afterPolls(Integer.MAX_VALUE, "unused"));
        HttpVideoGenerator generator = new HttpVideoGenerator(settings(TOKEN, Duration.ofMillis(500)));

        long start = System.nanoTime();
        VideoGenerationException e = failure(generator);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertEquals(Reason.DEADLINE_EXCEEDED, e.reason());
        assertTrue(e.retryable());
        assertTrue(e.getMessage().contains("did not finish within 0.5 s"), e.getMessage());
        assertTrue(e.getMessage().contains("cancel requested"), e.getMessage());
        assertTrue(elapsedMs >= 450, "gave up too early: " + elapsedMs + " ms");
        assertTrue(elapsedMs < 1500, "gave up too late: " + elapsedMs + " ms");
        assertTrue(server.requests("GET", "/v1/predictions/" + ID).size() >= 2, "kept polling while processing");
        List<Request> cancels = server.requests("POST", "/v1/predictions/" + ID + "/cancel");
        assertEquals(1, cancels.size());
        assertEquals("Bearer " + TOKEN, cancels.get(0).header("Authorization"));
    }

    @Test
    void deadlineBoundsAHangingPoll() {
        server.script(r -> {
            if (r.method().equals("POST") && r.path().equals("/v1/predictions")) {
                return Reply.json(201, prediction("starting", "null"));
            }
            if (r.path().endsWith("/cancel")) {
                return Reply.ok(prediction("canceled", "null"));
            }
            return new Reply(200, prediction("processing", "null"), 10_000);
        });
        HttpVideoGenerator generator = new HttpVideoGenerator(settings(TOKEN, Duration.ofMillis(300)));

        long start = System.nanoTime();
        VideoGenerationException e = failure(generator);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertEquals(Reason.DEADLINE_EXCEEDED, e.reason());
        assertTrue(elapsedMs < 1500, "gave up too late: " + elapsedMs + " ms");
        assertEquals(1, server.requests("POST", "/v1/predictions/" + ID + "/cancel").size());
    }

    @Test
    void deadlineStillReportedWhenCancelFails() {
        server.script(r -> r.path().endsWith("/cancel") ? Reply.json(500, "{}")
                : afterPolls(Integer.MAX_VALUE, "unused").apply(r));
        HttpVideoGenerator generator = new HttpVideoGenerator(settings(TOKEN, Duration.ofMillis(200)));

        VideoGenerationException e = failure(generator);

        assertEquals(Reason.DEADLINE_EXCEEDED, e.reason());
        assertTrue(e.getMessage().contains("cancel answered HTTP 500"), e.getMessage());
    }

    @Test
    void deadlineBoundsAHangingCreate() {
        server.script(r -> new Reply(201, prediction("starting", "null"), 10_000));
        HttpVideoGenerator generator = new HttpVideoGenerator(settings(TOKEN, Duration.ofMillis(300)));

        long start = System.nanoTime();
        VideoGenerationException e = failure(generator);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        assertEquals(Reason.DEADLINE_EXCEEDED, e.reason());
        assertTrue(e.getMessage().contains("did not finish within 0.3 s"), e.getMessage());
        assertTrue(elapsedMs < 1500, "gave up too late: " + elapsedMs + " ms");
        assertTrue(e.predictionId().isEmpty());
    }

    @Test
    void interruptIsPassedOn() throws Exception {
        server.script(afterPolls(Integer.MAX_VALUE, "unused"));
        HttpVideoGenerator generator = generator();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                generator.generate(job());
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        worker.start();
        while (server.requests("GET", "/v1/predictions/" + ID).isEmpty()) {
            Thread.sleep(5);
        }
        worker.interrupt();
        worker.join(2_000);

        assertFalse(worker.isAlive(), () -> java.util.Arrays.toString(worker.getStackTrace()));
        assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
    }

    @Test
    void connectionRefusedIsATransportFault() throws Exception {
        String deadBaseUrl = server.baseUrl();
        server.close();
        HttpVideoGenerator generator = new HttpVideoGenerator(new HttpVideoSettings(deadBaseUrl, TOKEN, MODEL,
                Duration.ofSeconds(2), Duration.ofMillis(20), Duration.ofSeconds(5)));

        VideoGenerationException e = failure(generator);

        assertEquals(Reason.TRANSPORT, e.reason());
        assertTrue(e.retryable());
        assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
    }

    @Test
    void slowCreateIsATransportFaultWithinTheRequestTimeout() {
        server.script(r -> new Reply(201, prediction("starting", "null"), 5_000));
        HttpVideoGenerator generator = new HttpVideoGenerator(new HttpVideoSettings(server.baseUrl(), TOKEN, MODEL,
                Duration.ofMillis(200), Duration.ofMillis(20), Duration.ofSeconds(5)));

        long start = System.nanoTime();
        VideoGenerationException e = failure(generator);

        assertEquals(Reason.TRANSPORT, e.reason());
        assertTrue(e.retryable());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 1500);
    }

    // ---- classification and settings --------------------------------------------------------------------------

    @Test
    void retryableRule() {
        for (int status : new int[] {500, 502, 503, 504, 401, 403, 404, 408, 409, 429}) {
            assertTrue(new VideoGenerationException(Reason.HTTP_STATUS, "x", status, null, null).retryable(),
                    "status " + status);
        }
        for (int status : new int[] {400, 405, 413, 415, 422}) {
            assertFalse(new VideoGenerationException(Reason.HTTP_STATUS, "x", status, null, null).retryable(),
                    "status " + status);
        }
        assertTrue(new VideoGenerationException(Reason.TRANSPORT, "x").retryable());
        assertTrue(new VideoGenerationException(Reason.DEADLINE_EXCEEDED, "x").retryable());
        assertFalse(new VideoGenerationException(Reason.PREDICTION_FAILED, "x").retryable());
        assertFalse(new VideoGenerationException(Reason.PREDICTION_CANCELED, "x").retryable());
    }

    @Test
    void settingsToStringHidesTheToken() {
        HttpVideoSettings s = settings(TOKEN, Duration.ofSeconds(5));

        assertFalse(s.toString().contains(TOKEN), s.toString());
        assertTrue(s.toString().contains("apiToken=<set>"), s.toString());
        assertTrue(s.toString().contains(MODEL), s.toString());
        assertTrue(settings(null, Duration.ofSeconds(5)).toString().contains("apiToken=<none>"));
        assertFalse(new HttpVideoGenerator(s).toString().contains(TOKEN));
    }

    @Test
    void settingsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new HttpVideoSettings("ftp://x", TOKEN, MODEL,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new HttpVideoSettings(server.baseUrl(), TOKEN, " ",
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new HttpVideoSettings(server.baseUrl(), TOKEN, MODEL,
                Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertEquals(server.baseUrl(), new HttpVideoSettings(server.baseUrl() + "//", TOKEN, MODEL,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)).baseUrl());
    }
}
