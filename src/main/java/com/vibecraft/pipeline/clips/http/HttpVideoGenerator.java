package com.vibecraft.pipeline.clips.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vibecraft.pipeline.clips.ClipGenerator;
import com.vibecraft.pipeline.clips.ClipJob;
import com.vibecraft.pipeline.clips.GeneratedClip;
import com.vibecraft.pipeline.clips.http.VideoGenerationException.Reason;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link ClipGenerator} backed by a Replicate-style predictions API: {@code POST {baseUrl}/predictions}, then
 * {@code GET urls.get} every poll interval until the prediction is {@code succeeded}, {@code failed} or
 * {@code canceled}, or the deadline (counted from the start of {@link #generate}) has passed — then it asks the
 * service to cancel and gives up.
 *
 * <p>Every failure is a {@link VideoGenerationException}; {@link VideoGenerationException#retryable()} separates the
 * service's faults from the job's. An interrupt is passed on as {@link InterruptedException} (no cancel is sent: the
 * job is expected to come back, and the idempotency key lets it find the same prediction).
 *
 * <p>The create request carries {@code Idempotency-Key: <jobId>}, so a server honouring it answers a repeated job
 * with the prediction it already started. The token is sent only to the origin of {@code baseUrl}; an
 * {@code urls.get} on another origin is ignored in favour of {@code {baseUrl}/predictions/{id}}. Redirects are not
 * followed. Thread-safe: one instance may serve many jobs at once.
 */
public class HttpVideoGenerator implements ClipGenerator {

    static final int MAX_BODY_BYTES = 1 << 20;
    private static final int SNIPPET_CHARS = 200;
    private static final Duration MAX_CANCEL_TIMEOUT = Duration.ofSeconds(5);

    private final HttpVideoSettings settings;
    private final HttpClient client;
    private final ObjectMapper json;
    private final URI createUri;

    public HttpVideoGenerator(HttpVideoSettings settings) {
        this(settings, HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Objects.requireNonNull(settings, "settings").requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
    }

    /** With a caller-supplied client; it should not follow redirects (they would carry the token along). */
    public HttpVideoGenerator(HttpVideoSettings settings, HttpClient client) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.client = Objects.requireNonNull(client, "client");
        // keep response text out of Jackson's error locations: a server may echo our headers back
        this.json = new ObjectMapper(JsonFactory.builder().disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .build());
        this.createUri = URI.create(settings.baseUrl() + "/predictions");
    }

    public HttpVideoSettings settings() {
        return settings;
    }

    @Override
    public GeneratedClip generate(ClipJob job) throws VideoGenerationException, InterruptedException {
        Objects.requireNonNull(job, "job");
        long deadline = System.nanoTime() + settings.deadline().toNanos();

        JsonNode prediction = create(job, deadline);
        String id = text(prediction.get("id"));
        URI pollUri = null;
        while (true) {
            String status = text(prediction.get("status"));
            if (status == null) {
                throw invalid("prediction " + describe(id) + " has no status", id, prediction);
            }
            switch (status.toLowerCase(Locale.ROOT)) {
                case "succeeded":
                    return new GeneratedClip(outputUrl(prediction, id));
                case "failed":
                    throw error(Reason.PREDICTION_FAILED,
                            "prediction " + describe(id) + " failed: " + errorText(prediction.get("error")), 0, id,
                            null);
                case "canceled":
                case "cancelled":
                case "aborted":
                    throw error(Reason.PREDICTION_CANCELED,
                            "prediction " + describe(id) + " was " + status.toLowerCase(Locale.ROOT), 0, id, null);
                default:
                    break; // starting, processing, or something new: keep waiting
            }
            if (id == null) {
                throw invalid("prediction is " + status + " but has no id to poll", null, prediction);
            }
            if (pollUri == null) {
                pollUri = pollUri(prediction, id);
            }
            long remaining = deadline - System.nanoTime();
            if (remaining > 0) {
                Thread.sleep(Math.max(1, Math.min(settings.pollInterval().toMillis(), nanosToMillisUp(remaining))));
            }
            if (deadline - System.nanoTime() <= 0) {
                throw deadlineExceeded(id, status);
            }
            prediction = send(authorized(pollUri, deadline).GET().build(), "poll prediction " + id, id, deadline);
        }
    }

    private JsonNode create(ClipJob job, long deadline) throws VideoGenerationException, InterruptedException {
        ObjectNode input = json.createObjectNode();
        input.put("prompt", job.prompt());
        input.put("seed", job.styleSeed());
        input.put("num_frames", job.numFrames());
        input.put("fps", job.fps());
        input.put("duration", job.durationSec());
        if (job.audioUrl() != null) {
            input.put("audio_url", job.audioUrl());
        }
        input.put("start_sec", job.startSec());
        input.put("end_sec", job.endSec());
        ObjectNode body = json.createObjectNode();
        body.put("version", settings.model());
        body.set("input", input);
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the prediction request", e);
        }
        HttpRequest.Builder request = authorized(createUri, deadline)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (job.jobId() != null) {
            request.header("Idempotency-Key", job.jobId().toString());
        }
        return send(request.build(), "create prediction", null, deadline);
    }

    private JsonNode send(HttpRequest request, String what, String id, long deadline)
            throws VideoGenerationException, InterruptedException {
        Duration timeout = request.timeout().orElse(settings.requestTimeout());
        HttpResponse<byte[]> response;
        try {
            response = exchange(request, new CappedBody(MAX_BODY_BYTES), timeout);
        } catch (HttpTimeoutException e) {
            if (deadline - System.nanoTime() <= 0) {
                throw deadlineExceeded(id, "no answer");
            }
            throw error(Reason.TRANSPORT, what + ": no answer from " + origin(request.uri())
                    + " within " + seconds(timeout), 0, id, null);
        } catch (IOException e) {
            throw error(Reason.TRANSPORT, what + ": cannot talk to " + origin(request.uri())
                    + ": " + redact(describe(e)), 0, id, null);
        }
        int status = response.statusCode();
        byte[] body = response.body();
        if (status < 200 || status > 299) {
            throw error(Reason.HTTP_STATUS, what + ": HTTP " + status + " from "
                    + request.uri() + ": " + snippet(body), status, id, null);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw error(Reason.INVALID_RESPONSE,
                    what + ": answer larger than " + MAX_BODY_BYTES + " bytes", 0, id, null);
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (IOException e) {
            String detail = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw error(Reason.INVALID_RESPONSE, what + ": invalid JSON (" + shorten(detail)
                    + "): " + snippet(body), 0, id, null);
        }
        if (node == null || !node.isObject()) {
            throw error(Reason.INVALID_RESPONSE,
                    what + ": expected a JSON object: " + snippet(body), 0, id, null);
        }
        return node;
    }

    private HttpRequest.Builder authorized(URI uri, long deadline) {
        long remaining = Math.max(deadline - System.nanoTime(), Duration.ofMillis(1).toNanos());
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(min(settings.requestTimeout(), Duration.ofNanos(remaining)))
                .header("Accept", "application/json");
        if (settings.hasToken() && sameOrigin(uri, createUri)) {
            builder.header("Authorization", "Bearer " + settings.apiToken());
        }
        return builder;
    }

    private VideoGenerationException deadlineExceeded(String id, String lastStatus) {
        if (id == null) {
            return error(Reason.DEADLINE_EXCEEDED, "create prediction: did not finish within "
                    + seconds(settings.deadline()) + " (no answer from " + origin(createUri) + ")", 0, null, null);
        }
        return error(Reason.DEADLINE_EXCEEDED, "prediction " + id + " did not finish within "
                + seconds(settings.deadline()) + " (last status: " + lastStatus + "); " + cancel(id), 0, id, null);
    }

    /** Best effort: the outcome only goes into the message. */
    private String cancel(String id) {
        URI uri = URI.create(settings.baseUrl() + "/predictions/" + encode(id) + "/cancel");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(min(settings.requestTimeout(), MAX_CANCEL_TIMEOUT))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (settings.hasToken()) {
            request.header("Authorization", "Bearer " + settings.apiToken());
        }
        try {
            HttpRequest built = request.build();
            int status = exchange(built, HttpResponse.BodySubscribers.discarding(), built.timeout().orElseThrow())
                    .statusCode();
            return status >= 200 && status <= 299 ? "cancel requested" : "cancel answered HTTP " + status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "cancel interrupted";
        } catch (IOException | RuntimeException e) {
            return "cancel failed: " + redact(describe(e));
        }
    }

    /**
     * One request/response, the body included, bounded by {@code timeout} (the client's own request timeout only
     * covers the headers) and promptly abandoned on interrupt.
     */
    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodySubscriber<T> subscriber,
            Duration timeout) throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<T>> future = client.sendAsync(request, info -> subscriber);
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new HttpTimeoutException("request timed out");
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause == null ? e : cause);
        }
    }

    /** Collects at most {@code limit + 1} bytes, then stops reading: the caller rejects anything longer. */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        CappedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                int take = Math.min(item.remaining(), limit + 1 - bytes.size());
                byte[] chunk = new byte[take];
                item.get(chunk);
                bytes.write(chunk, 0, take);
                if (bytes.size() > limit) {
                    subscription.cancel();
                    result.complete(bytes.toByteArray());
                    return;
                }
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }

    private URI pollUri(JsonNode prediction, String id) {
        String get = text(prediction.path("urls").get("get"));
        if (get != null) {
            try {
                URI uri = URI.create(get.strip());
                if (uri.isAbsolute() && sameOrigin(uri, createUri)) {
                    return uri;
                }
            } catch (IllegalArgumentException e) {
                // fall through to the conventional address
            }
        }
        return URI.create(settings.baseUrl() + "/predictions/" + encode(id));
    }

    private String outputUrl(JsonNode prediction, String id) throws VideoGenerationException {
        JsonNode output = prediction.get("output");
        String url = urlIn(output, 0);
        if (url != null) {
            try {
                if (URI.create(url).isAbsolute()) {
                    return url;
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
        }
        String shown = output == null ? "missing" : snippet(output.toString().getBytes(StandardCharsets.UTF_8));
        throw error(Reason.MISSING_OUTPUT,
                "prediction " + describe(id) + " succeeded without a video URL in its output: " + shown, 0, id, null);
    }

    /** A string; the last element of an array; an object's {@code url} or {@code video}. */
    private static String urlIn(JsonNode output, int depth) {
        if (output == null || output.isNull() || depth > 3) {
            return null;
        }
        if (output.isTextual()) {
            String s = output.asText().strip();
            return s.isEmpty() ? null : s;
        }
        if (output.isArray()) {
            for (int i = output.size() - 1; i >= 0; i--) {
                if (!output.get(i).isNull()) {
                    return urlIn(output.get(i), depth + 1);
                }
            }
            return null;
        }
        if (output.isObject()) {
            String url = urlIn(output.get("url"), depth + 1);
            return url != null ? url : urlIn(output.get("video"), depth + 1);
        }
        return null;
    }

    /** Every failure goes through here: the message is scrubbed of the token whatever went into it. */
    private VideoGenerationException error(Reason reason, String message, int status, String id, Throwable cause) {
        return new VideoGenerationException(reason, redact(message), status, id, cause);
    }

    private VideoGenerationException invalid(String message, String id, JsonNode prediction) {
        return error(Reason.INVALID_RESPONSE,
                message + ": " + snippet(prediction.toString().getBytes(StandardCharsets.UTF_8)), 0, id, null);
    }

    private String errorText(JsonNode error) {
        if (error == null || error.isNull()) {
            return "no error given";
        }
        String text = error.isTextual() ? error.asText() : error.toString();
        return shorten(text);
    }

    private String snippet(byte[] body) {
        if (body.length == 0) {
            return "(empty body)";
        }
        int n = Math.min(body.length, SNIPPET_CHARS * 4);
        return shorten(new String(body, 0, n, StandardCharsets.UTF_8));
    }

    /** One line, at most {@value #SNIPPET_CHARS} characters, token removed. */
    private String shorten(String text) {
        if (text == null) {
            return "";
        }
        String oneLine = redact(text).replaceAll("\\s+", " ").strip();
        return oneLine.length() <= SNIPPET_CHARS ? oneLine : oneLine.substring(0, SNIPPET_CHARS) + "...";
    }

    private String redact(String text) {
        if (text == null || !settings.hasToken()) {
            return text;
        }
        return text.replace(settings.apiToken(), "***");
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + message;
    }

    private static String describe(String id) {
        return id == null ? "(no id)" : id;
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getHost() != null
                && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static long nanosToMillisUp(long nanos) {
        return (nanos + 999_999) / 1_000_000;
    }

    private static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString() + " s";
    }
}
