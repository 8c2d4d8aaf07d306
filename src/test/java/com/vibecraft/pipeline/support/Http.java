package com.vibecraft.pipeline.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/** A small HTTP client for the tests: multipart uploads and JSON answers. */
public final class Http {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Longest wait for any one answer (uploads of long songs on a loaded machine included). */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);

    public record Response(int status, byte[] bytes, java.net.http.HttpHeaders headers) {
        public String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                throw new AssertionError("Not JSON (status " + status + "): " + body(), e);
            }
        }
    }

    private Http() {
    }

    public static Response get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    public static Response get(String url, String header, String value) {
        return send(HttpRequest.newBuilder(URI.create(url)).header(header, value).GET().build());
    }

    public static Response head(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    }

    public static Response post(String url, String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    public static Response post(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** A multipart/form-data POST with one file part (field name given) and an optional title. */
    public static Response upload(String url, String field, String filename, byte[] content, String title) {
        Multipart m = new Multipart();
        if (title != null) {
            m.field("title", title);
        }
        if (content != null) {
            m.file(field, filename, content);
        }
        return m.post(url);
    }

    /** A multipart body with several file parts, all under the field name given. */
    public static Response uploadMany(String url, String field, byte[]... files) {
        Multipart m = new Multipart();
        for (int i = 0; i < files.length; i++) {
            m.file(field, "part" + i + ".wav", files[i]);
        }
        return m.post(url);
    }

    /** A multipart upload of a file on disk, streamed (for files too big to hold in memory). */
    public static Response uploadFile(String url, String filename, Path file) {
        String boundary = "----vibecraft" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        try {
            return send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(head),
                            HttpRequest.BodyPublishers.ofFile(file), HttpRequest.BodyPublishers.ofByteArray(tail)))
                    .build());
        } catch (java.io.FileNotFoundException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Multipart {
        private final String boundary = "----vibecraft" + UUID.randomUUID();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        void field(String name, String value) {
            text("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
        }

        void file(String name, String filename, byte[] content) {
            text("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
            body.writeBytes(content);
            text("\r\n");
        }

        Response post(String url) {
            text("--" + boundary + "--\r\n");
            return send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build());
        }

        private void text(String s) {
            body.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    public static Response upload(String baseUrl, String filename, byte[] content) {
        return upload(baseUrl + "/api/v1/songs", "file", filename, content, null);
    }

    /**
     * Sends the request; one without a timeout of its own gets {@link #REQUEST_TIMEOUT}, so that a
     * connection the server accepted but never answers fails the test instead of hanging it.
     */
    public static Response send(HttpRequest request) {
        if (request.timeout().isEmpty()) {
            request = HttpRequest.newBuilder(request, (name, value) -> true).timeout(REQUEST_TIMEOUT).build();
        }
        try {
            HttpResponse<byte[]> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until a service started as its own process answers {@code GET /healthz} with 200; fails
     * at once when the process exits, with {@code log} (read only then) in the message.
     */
    public static void awaitHealthy(String baseUrl, Process service, Duration timeout,
                                    java.util.function.Supplier<String> log) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!service.isAlive()) {
                throw new AssertionError("the service exited during start-up:\n" + log.get());
            }
            try {
                // a short timeout per try: a connection accepted while the service starts may never be answered
                if (send(HttpRequest.newBuilder(URI.create(baseUrl + "/healthz")).timeout(Duration.ofSeconds(3))
                        .GET().build()).status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the service did not become healthy in " + timeout.toSeconds() + " s:\n" + log.get());
    }

    /** Polls GET /songs/{id}/clips/status until {@code done} holds for it, or the time runs out; returns it. */
    public static JsonNode awaitClips(String baseUrl, String songId, Duration timeout,
                                      java.util.function.Predicate<JsonNode> done) {
        return Await.value(timeout, 100, () -> {
            Response r = get(baseUrl + "/api/v1/songs/" + songId + "/clips/status");
            return r.status() == 200 ? r.json() : null;
        }, done, "the clips of " + songId);
    }

    /** Every planned clip of the song completed (and at least one planned). */
    public static boolean allClipsCompleted(JsonNode status) {
        int total = status.path("totalClips").asInt();
        return total > 0 && status.path("completedClips").asInt() == total;
    }

    /** Polls GET /songs/{id} until its status is one of {@code statuses} or the time runs out. */
    public static JsonNode awaitSong(String baseUrl, String id, Duration timeout, String... statuses) {
        java.util.Set<String> wanted = java.util.Set.of(statuses);
        return Await.value(timeout, 100, () -> {
            Response r = get(baseUrl + "/api/v1/songs/" + id);
            return r.status() == 200 ? r.json() : null;
        }, song -> wanted.contains(song.path("status").asText()), "song " + id + " " + String.join("|", statuses));
    }
}
