package com.vibecraft.pipeline.clips;

import com.vibecraft.pipeline.support.FakePredictionsApi;
import com.vibecraft.pipeline.support.FakePredictionsApi.Reply;
import com.vibecraft.pipeline.support.FakePredictionsApi.Request;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A whole predictions API for the service-level clip tests, scripted on the shared
 * {@link FakePredictionsApi}: it succeeds, fails the job, or fails itself.
 */
final class FakePredictions implements AutoCloseable {

    enum Mode { SUCCEED, PREDICTION_FAILED, SERVER_ERROR }

    /** When a create request arrived, and for which job (its idempotency key). */
    record Create(long atMillis, String jobId) {
    }

    private final FakePredictionsApi api = new FakePredictionsApi();
    volatile Mode mode = Mode.SUCCEED;
    final List<Create> creates = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    /** While closed, the first prediction stays 'processing' (a slow job); the others answer at once. */
    volatile java.util.concurrent.CountDownLatch holdFirst = new java.util.concurrent.CountDownLatch(0);

    FakePredictions() throws IOException {
        api.script(this::answer);
    }

    String baseUrl() {
        return api.baseUrl();
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

    private Reply answer(Request r) {
        Mode m = mode;
        if ("POST".equals(r.method()) && r.path().equals("/v1/predictions")) {
            creates.add(new Create(System.currentTimeMillis(), r.header("Idempotency-Key")));
            if (m == Mode.SERVER_ERROR) {
                return Reply.json(503, "{\"detail\":\"overloaded\"}");
            }
            String id = "p" + ids.incrementAndGet() + (m == Mode.PREDICTION_FAILED ? "-fail" : "-ok");
            return Reply.json(201, "{\"id\":\"" + id + "\",\"status\":\"starting\",\"urls\":{\"get\":\"" + baseUrl()
                    + "/predictions/" + id + "\"}}");
        } else if ("GET".equals(r.method()) && r.path().startsWith("/v1/predictions/")) {
            String id = r.path().substring("/v1/predictions/".length());
            if (id.equals("p1-ok") && holdFirst.getCount() > 0) {
                return Reply.ok("{\"id\":\"" + id + "\",\"status\":\"processing\"}");
            } else if (id.endsWith("-fail")) {
                return Reply.ok("{\"id\":\"" + id + "\",\"status\":\"failed\",\"error\":\"NSFW filter tripped\"}");
            }
            return Reply.ok("{\"id\":\"" + id + "\",\"status\":\"succeeded\",\"output\":[\"https://cdn.example/"
                    + id + ".mp4\"]}");
        }
        return Reply.json(404, "{}");
    }

    @Override
    public void close() {
        api.close();
    }
}
