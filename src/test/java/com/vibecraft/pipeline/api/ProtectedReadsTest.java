package com.vibecraft.pipeline.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vibecraft.pipeline.App;
import com.vibecraft.pipeline.support.Http;
import com.vibecraft.pipeline.support.TestAudio;
import com.vibecraft.pipeline.support.TestEnvironment;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** vibecraft.auth.protect-reads=true: the reads under /api/v1 need the token too; health and the API description do not. */
@CamelMainTest(mainClass = App.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtectedReadsTest {

    static final String TOKEN = "reads-" + UUID.randomUUID();

    @BeforeAll
    static void environment() {
        TestEnvironment.prepare("reads", Map.of("vibecraft.api-token", TOKEN, "vibecraft.auth.protect-reads", "true",
                "vibecraft.worker.enabled", "false", "vibecraft.redis.prefix", "reads-" + System.nanoTime()));
    }

    static String base() {
        return TestEnvironment.baseUrl();
    }

    static Http.Response get(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return Http.send(b.build());
    }

    @Test
    void readsNeedTheTokenButHealthAndTheDescriptionDoNot() {
        byte[] wav = TestAudio.wav(TestAudio.sine(22050, 2, 440, 0.5), 22050);
        assertEquals(401, Http.upload(base() + "/api/v1/songs", "file", "a.wav", wav, null).status());
        Http.Response created = Http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/songs"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "multipart/form-data; boundary=XyZ")
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(wav))).build());
        assertEquals(201, created.status(), created.body());
        String id = created.json().path("id").asText();

        String[] reads = {"/api/v1/songs", "/api/v1/songs/" + id, "/api/v1/songs/" + id + "/audio",
                "/api/v1/songs/" + id + "/analysis", "/api/v1/songs/" + id + "/clips",
                "/api/v1/songs/" + id + "/clips/status", "/api/v1/clips/" + UUID.randomUUID() + "/video",
                // an unknown song is not told apart from a known one without the token
                "/api/v1/songs/" + UUID.randomUUID(), "/api/v1/songs/../songs"};
        for (String path : reads) {
            Http.Response none = get(path, null);
            assertEquals(401, none.status(), path + ": " + none.body());
            assertEquals(401, none.json().path("status").asInt(), path);
            assertEquals(403, get(path, "not-" + TOKEN).status(), path);
        }
        assertEquals(401, Http.head(base() + "/api/v1/songs/" + id + "/audio").status());
        assertEquals(200, get("/api/v1/songs", TOKEN).status());
        assertEquals(1, get("/api/v1/songs", TOKEN).json().size());
        assertEquals(200, get("/api/v1/songs/" + id, TOKEN).status());
        assertEquals(200, get("/api/v1/songs/" + id + "/audio", TOKEN).status());
        assertEquals(404, get("/api/v1/songs/" + UUID.randomUUID(), TOKEN).status());

        assertEquals(200, get("/healthz", null).status());
        assertEquals(200, get("/api/v1/openapi.json", null).status());
        int ready = get("/readyz", null).status();
        assertTrue(ready != 401 && ready != 403, "/readyz answered " + ready);
    }

    private static byte[] multipart(byte[] wav) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes(("--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\n").getBytes());
        b.writeBytes(wav);
        b.writeBytes("\r\n--XyZ--\r\n".getBytes());
        return b.toByteArray();
    }
}
