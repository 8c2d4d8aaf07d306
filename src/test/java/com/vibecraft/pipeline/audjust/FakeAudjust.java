package com.vibecraft.pipeline.audjust;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server on 127.0.0.1 that plays Audjust, healthy or failing in a chosen way. */
public final class FakeAudjust implements AutoCloseable {

    enum Mode {
        OK_SECTIONS, OK_RESULT_SECTIONS,
        UPLOAD_401, UPLOAD_500, PUT_401, PUT_500, STRUCTURE_401, STRUCTURE_500,
        UPLOAD_SLOW, STRUCTURE_SLOW, UPLOAD_INVALID_JSON, STRUCTURE_INVALID_JSON,
        MISSING_STORAGE_URL, EMPTY_SECTIONS, STORAGE_REFUSED,
        /** Half the calls fail at random: 500, a dropped connection, garbage, or too slow. */
        CHAOS
    }

    /** Seeded: its first five answers in chaos are ok, garbage, slow, 500 and a dropped connection. */
    private final java.util.Random chaos = new java.util.Random(29);
    final java.util.Map<String, AtomicInteger> chaosOutcomes = new java.util.concurrent.ConcurrentHashMap<>();

    record Request(String method, String path, String apiKey, byte[] body, String contentType,
                   java.util.Set<String> headerNames) {
    }

    public static final String KEY = "test-key-7f3a9c1e5b";

    private final HttpServer server;
    private final int port;
    volatile Mode mode = Mode.OK_SECTIONS;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger uploadCalls = new AtomicInteger();

    public FakeAudjust() throws IOException {
        this(0);
    }

    private FakeAudjust(int wantedPort) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wantedPort), 50);
        port = server.getAddress().getPort();
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    static FakeAudjust onPort(int port) throws IOException {
        return new FakeAudjust(port);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port + "/api/";
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String path = ex.getRequestURI().getPath();
        java.util.Set<String> names = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        names.addAll(ex.getRequestHeaders().keySet());
        requests.add(new Request(ex.getRequestMethod(), path, ex.getRequestHeaders().getFirst("X-API-Key"), body,
                ex.getRequestHeaders().getFirst("Content-Type"), names));
        Mode m = mode;
        if (path.equals("/api/upload") && "GET".equals(ex.getRequestMethod())) {
            uploadCalls.incrementAndGet();
            if (!KEY.equals(ex.getRequestHeaders().getFirst("X-API-Key"))) {
                respond(ex, 401, "{\"error\":\"bad key\"}");
                return;
            }
            if (m == Mode.CHAOS) {
                String outcome;
                synchronized (chaos) {
                    outcome = chaos.nextBoolean() ? "ok" : new String[] {"500", "reset", "garbage", "slow"}[chaos.nextInt(4)];
                }
                chaosOutcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
                switch (outcome) {
                    case "500" -> respond(ex, 500, "internal error");
                    case "reset" -> ex.close(); // no status line: the connection just ends
                    case "garbage" -> respond(ex, 200, "\u0000\u00ff{{{garbage");
                    case "slow" -> {
                        sleep(3000);
                        respond(ex, 200, uploadJson("http://127.0.0.1:" + port + "/store/a.bin?sig=SIGNATURE123"));
                    }
                    default -> respond(ex, 200, uploadJson("http://127.0.0.1:" + port + "/store/a.bin?sig=SIGNATURE123"));
                }
                return;
            }
            switch (m) {
                case UPLOAD_401 -> respond(ex, 401, "{\"error\":\"unauthorized\"}");
                case UPLOAD_500 -> respond(ex, 500, "oops");
                case UPLOAD_SLOW -> {
                    sleep(3000);
                    respond(ex, 200, uploadJson("http://127.0.0.1:" + port + "/store/a.bin?sig=SIGNATURE123"));
                }
                case UPLOAD_INVALID_JSON -> respond(ex, 200, "{not json");
                case MISSING_STORAGE_URL -> respond(ex, 200, "{\"retrievalUrl\":\"https://files/a\"}");
                case STORAGE_REFUSED -> respond(ex, 200, uploadJson("http://127.0.0.1:1/store/a.bin"));
                default -> respond(ex, 200, uploadJson("http://127.0.0.1:" + port + "/store/a.bin?sig=SIGNATURE123"));
            }
        } else if (path.startsWith("/store/") && "PUT".equals(ex.getRequestMethod())) {
            switch (m) {
                case PUT_401 -> respond(ex, 401, "denied");
                case PUT_500 -> respond(ex, 500, "disk full");
                default -> respond(ex, 200, "");
            }
        } else if (path.equals("/api/structure") && "POST".equals(ex.getRequestMethod())) {
            if (!KEY.equals(ex.getRequestHeaders().getFirst("X-API-Key"))) {
                respond(ex, 401, "{\"error\":\"bad key\"}");
                return;
            }
            switch (m) {
                case STRUCTURE_401 -> respond(ex, 401, "{}");
                case STRUCTURE_500 -> respond(ex, 500, "{}");
                case STRUCTURE_SLOW -> {
                    sleep(3000);
                    respond(ex, 200, sectionsJson(false));
                }
                case STRUCTURE_INVALID_JSON -> respond(ex, 200, "<html>");
                case EMPTY_SECTIONS -> respond(ex, 200, "{\"sections\":[]}");
                case OK_RESULT_SECTIONS -> respond(ex, 200, sectionsJson(true));
                default -> respond(ex, 200, sectionsJson(false));
            }
        } else {
            respond(ex, 404, "no");
        }
    }

    private static String uploadJson(String storageUrl) {
        return "{\"storageUrl\":\"" + storageUrl + "\",\"retrievalUrl\":\"https://files.example/a.bin\"}";
    }

    /** Six segments of a 12-second song: labels 100, 400, 110, 400, 100, 700. */
    static String sectionsJson(boolean nested) {
        String list = "[{\"startMs\":0,\"endMs\":2000,\"label\":100},{\"startMs\":2000,\"endMs\":4000,\"label\":400},"
                + "{\"startMs\":4000,\"endMs\":6000,\"label\":110},{\"startMs\":6000,\"endMs\":8000,\"label\":400},"
                + "{\"startMs\":8000,\"endMs\":10000,\"label\":100},{\"startMs\":10000,\"endMs\":12000,\"label\":700}]";
        return nested ? "{\"result\":{\"sections\":" + list + "}}" : "{\"sections\":" + list + "}";
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void stop() {
        server.stop(0);
    }

    @Override
    public void close() {
        stop();
    }
}
