package com.vibecraft.pipeline.clips;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A Replicate-style predictions API on 127.0.0.1 that succeeds, fails the job, or fails itself. */
final class FakePredictions implements AutoCloseable {

    enum Mode { SUCCEED, PREDICTION_FAILED, SERVER_ERROR }

    /** When a create request arrived, and for which job (its idempotency key). */
    record Create(long atMillis, String jobId) {
    }

    private final HttpServer server;
    volatile Mode mode = Mode.SUCCEED;
    final List<Create> creates = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    /** While closed, the first prediction stays 'processing' (a slow job); the others answer at once. */
    volatile java.util.concurrent.CountDownLatch holdFirst = new java.util.concurrent.CountDownLatch(0);

    FakePredictions() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/v1/predictions", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** The service's settings for the http generator against this API, with its own Redis key prefix. */
    Map<String, String> serviceSettings(String prefix) {
        Map<String, String> p = new HashMap<>();
        p.put("vibecraft.redis.prefix", prefix + "-" + System.nanoTime());
        p.put("vibecraft.clip-generator", "http");
        p.put("vibecraft.video.base-url", baseUrl());
        p.put("vibecraft.video.api-token", "secret-video-token");
        p.put("vibecraft.video.model", "test/video-model");
        p.put("vibecraft.video.poll-interval-ms", "20");
        return p;
    }

    private void handle(HttpExchange ex) throws IOException {
        ex.getRequestBody().readAllBytes();
        String path = ex.getRequestURI().getPath();
        Mode m = mode;
        if ("POST".equals(ex.getRequestMethod()) && path.equals("/v1/predictions")) {
            creates.add(new Create(System.currentTimeMillis(), ex.getRequestHeaders().getFirst("Idempotency-Key")));
            if (m == Mode.SERVER_ERROR) {
                respond(ex, 503, "{\"detail\":\"overloaded\"}");
                return;
            }
            String id = "p" + ids.incrementAndGet() + (m == Mode.PREDICTION_FAILED ? "-fail" : "-ok");
            respond(ex, 201, "{\"id\":\"" + id + "\",\"status\":\"starting\",\"urls\":{\"get\":\"" + baseUrl()
                    + "/predictions/" + id + "\"}}");
        } else if ("GET".equals(ex.getRequestMethod()) && path.startsWith("/v1/predictions/")) {
            String id = path.substring("/v1/predictions/".length());
            if (id.equals("p1-ok") && holdFirst.getCount() > 0) {
                respond(ex, 200, "{\"id\":\"" + id + "\",\"status\":\"processing\"}");
            } else if (id.endsWith("-fail")) {
                respond(ex, 200, "{\"id\":\"" + id + "\",\"status\":\"failed\",\"error\":\"NSFW filter tripped\"}");
            } else {
                respond(ex, 200, "{\"id\":\"" + id + "\",\"status\":\"succeeded\",\"output\":[\"https://cdn.example/"
                        + id + ".mp4\"]}");
            }
        } else {
            respond(ex, 404, "{}");
        }
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
