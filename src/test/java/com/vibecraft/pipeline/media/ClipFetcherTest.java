package com.vibecraft.pipeline.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ClipFetcher against a real HTTP server on 127.0.0.1 and real files. */
class ClipFetcherTest {

    static final ClipLimits LIMITS = new ClipLimits(1000, 60, Duration.ofMillis(500));

    @TempDir
    Path tmp;
    HttpServer server;
    String base;
    Path clipsDir;
    Path work;
    /** Released after each test, so the stalling handlers end. */
    final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws Exception {
        clipsDir = Files.createDirectories(tmp.resolve("clips"));
        work = tmp.resolve("work");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ok.mp4", ex -> {
            byte[] body = new byte[800];
            body[0] = 42;
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/missing.mp4", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.createContext("/declared-large.mp4", ex -> {
            ex.sendResponseHeaders(200, 5000);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(new byte[5000]);
            }
        });
        server.createContext("/endless.mp4", ex -> {
            ex.sendResponseHeaders(200, 0); // chunked: no Content-Length, the cap applies while reading
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 100; i++) {
                    out.write(new byte[100]);
                    out.flush();
                }
            } catch (java.io.IOException ignored) {
                // the client hung up at the cap
            }
        });
        server.createContext("/stalls-mid-body.mp4", ex -> {
            ex.sendResponseHeaders(200, 900);
            OutputStream out = ex.getResponseBody();
            out.write(new byte[10]);
            out.flush();
            await();
            ex.close();
        });
        server.createContext("/never-answers.mp4", ex -> {
            await();
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void await() {
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private ClipFetcher fetcher() {
        return new ClipFetcher("http://service.example:8080", clipsDir, LIMITS);
    }

    @Test
    void downloadsAnotherServersClip() throws Exception {
        Path file = fetcher().fetch(1, "c1", base + "/ok.mp4", work);
        assertTrue(file.startsWith(work));
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(800, bytes.length);
        assertEquals(42, bytes[0]);
    }

    @Test
    void readsItsOwnClipsFromTheClipsFolder() throws Exception {
        Path own = Files.write(clipsDir.resolve("abc-123.mp4"), new byte[] {1, 2, 3});
        assertEquals(own, fetcher().fetch(0, "abc-123", "http://service.example:8080/api/v1/clips/abc-123/video", work));
        assertEquals(own, fetcher().fetch(0, "abc-123", own.toUri().toString(), work));
        assertEquals(own, fetcher().fetch(0, "abc-123", own.toString(), work));
        ClipMediaException missing = assertThrows(ClipMediaException.class,
                () -> fetcher().fetch(4, "gone", "http://service.example:8080/api/v1/clips/gone/video", work));
        assertMessage(missing, "Clip 5 (gone)", "missing");
    }

    @Test
    void refusesFilesOutsideTheClipsFolderAndOtherSchemes() throws Exception {
        Path outside = Files.write(tmp.resolve("secret.mp4"), new byte[] {1});
        assertMessage(assertThrows(ClipMediaException.class, () -> fetcher().fetch(0, "a", outside.toUri().toString(), work)),
                "Clip 1 (a)", "outside the clips folder");
        assertMessage(assertThrows(ClipMediaException.class,
                () -> fetcher().fetch(0, "a", clipsDir.resolve("../secret.mp4").toString(), work)), "outside");
        assertMessage(assertThrows(ClipMediaException.class, () -> fetcher().fetch(0, "a", "ftp://x/y.mp4", work)),
                "neither http(s) nor a file");
        assertMessage(assertThrows(ClipMediaException.class, () -> fetcher().fetch(0, "a",
                "http://service.example:8080/api/v1/clips/..%2F..%2Fetc/video", work)), "not one of this service's");
    }

    @Test
    void reportsTheHttpStatus() {
        ClipMediaException e = assertThrows(ClipMediaException.class,
                () -> fetcher().fetch(2, "c3", base + "/missing.mp4", work));
        assertMessage(e, "Clip 3 (c3)", "HTTP 404");
        assertEquals(2, e.clipIndex());
        assertEquals("c3", e.clipId());
    }

    @Test
    void refusesClipsOverTheSizeCap() throws Exception {
        assertMessage(assertThrows(ClipMediaException.class,
                () -> fetcher().fetch(0, "big", base + "/declared-large.mp4", work)), "too large", "5000 bytes");
        assertMessage(assertThrows(ClipMediaException.class,
                () -> fetcher().fetch(0, "big", base + "/endless.mp4", work)), "too large", "more than 1000 bytes");
        assertLeftNothing();
    }

    @Test
    void boundsTheWholeDownloadByTheTimeout() throws Exception {
        for (String path : new String[] {"/never-answers.mp4", "/stalls-mid-body.mp4"}) {
            long started = System.nanoTime();
            assertMessage(assertThrows(ClipMediaException.class, () -> fetcher().fetch(0, "slow", base + path, work)),
                    "Clip 1 (slow)", "timed out");
            double sec = (System.nanoTime() - started) / 1e9;
            assertTrue(sec < 5, path + " took " + sec + " s with a 0.5 s timeout");
        }
        assertLeftNothing();
    }

    private void assertLeftNothing() throws Exception {
        if (Files.isDirectory(work)) {
            try (var files = Files.list(work)) {
                assertEquals(0, files.count(), "a refused download leaves no file");
            }
        }
    }

    static void assertMessage(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
        }
    }
}
