package com.vibecraft.pipeline.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The one stand-in for a Replicate-style predictions API the tests use: a real HTTP server on
 * 127.0.0.1 that answers every request with what its script says and records every request. The
 * generator's own tests script it request by request; the service-level tests (ClipRetryTest,
 * WorkerSlotsTest, WebPageIT) give it a script that plays a whole API.
 */
public final class FakePredictionsApi implements AutoCloseable {

    /** One request as received; header names are lower-cased. */
    public record Request(String method, String path, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    /** An answer: status, content type, body and extra headers, sent after {@code delayMillis}. */
    public record Reply(int status, String contentType, byte[] body, Map<String, String> headers, long delayMillis) {
        /** A JSON answer sent after a delay. */
        public Reply(int status, String json, long delayMillis) {
            this(status, "application/json", json.getBytes(StandardCharsets.UTF_8), Map.of(), delayMillis);
        }

        public static Reply json(int status, String json) {
            return new Reply(status, json, 0);
        }

        public static Reply ok(String json) {
            return json(200, json);
        }

        /** A file, as a CDN serves it to a browser on another origin. */
        public static Reply file(String contentType, byte[] bytes) {
            return new Reply(200, contentType, bytes, Map.of("Access-Control-Allow-Origin", "*"), 0);
        }
    }

    static {
        // without it each answer waits ~40 ms for Nagle vs delayed ACK; read once per JVM, so best effort
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Function<Request, Reply> script = r -> Reply.json(404, "{\"detail\":\"not scripted\"}");

    public FakePredictionsApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public void script(Function<Request, Reply> script) {
        this.script = script;
    }

    public String root() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The API root a generator is configured with. */
    public String baseUrl() {
        return root() + "/v1";
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    headers, body);
            requests.add(request);
            Reply reply = script.apply(request);
            if (reply.delayMillis() > 0) {
                try {
                    Thread.sleep(reply.delayMillis()); // the slow API itself, not a test waiting
                } catch (InterruptedException e) {
                    return;
                }
            }
            byte[] bytes = reply.body();
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
