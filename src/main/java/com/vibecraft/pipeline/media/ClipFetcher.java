package com.vibecraft.pipeline.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Makes a clip's video a local file: a URL of this service's own clip files
 * ({@code <ownBaseUrl>/api/v1/clips/<id>/video}) is read from {@code ownClipsDir/<id>.mp4}, a
 * {@code file:} URL or absolute path only inside {@code ownClipsDir}; any other http(s) URL is
 * downloaded into {@code workDir} within {@link ClipLimits#fetchTimeout()} (the whole download, not
 * just the connection) and {@link ClipLimits#maxBytes()}. Anything else is refused naming the clip.
 */
public final class ClipFetcher {

    private static final String OWN_PATH = "/api/v1/clips/";
    /** Clip ids are UUIDs or similar; anything else in an own URL is refused rather than made a path. */
    private static final Pattern CLIP_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    /** Ends downloads at their deadline (closes their body) however the server stalls. */
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "clip-fetch-deadline");
        t.setDaemon(true);
        return t;
    });

    private final String ownBaseUrl;
    private final Path ownClipsDir;
    private final ClipLimits limits;
    private final HttpClient http;

    public ClipFetcher(String ownBaseUrl, Path ownClipsDir, ClipLimits limits) {
        this.ownBaseUrl = ownBaseUrl == null ? "" : ownBaseUrl.replaceAll("/+$", "");
        this.ownClipsDir = ownClipsDir.toAbsolutePath().normalize();
        this.limits = limits;
        this.http = HttpClient.newBuilder()
                .connectTimeout(limits.fetchTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** Removes a work folder and the downloads in it (nothing when it does not exist). */
    public static void deleteWorkDir(Path workDir) throws IOException {
        if (!Files.exists(workDir)) {
            return;
        }
        try (java.util.stream.Stream<Path> files = Files.walk(workDir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The clip's file: the own file, or a download in {@code workDir} (the caller deletes workDir). */
    public Path fetch(int clipIndex, String clipId, String videoUrl, Path workDir)
            throws ClipMediaException, InterruptedException {
        if (videoUrl == null || videoUrl.isBlank()) {
            throw new ClipMediaException(clipIndex, clipId, "it has no video URL", null);
        }
        String url = videoUrl.strip();
        if (!ownBaseUrl.isEmpty() && url.startsWith(ownBaseUrl + OWN_PATH)) {
            return ownClip(clipIndex, clipId, url.substring((ownBaseUrl + OWN_PATH).length()));
        }
        URI uri;
        try {
            uri = url.startsWith("/") ? Path.of(url).toUri() : new URI(url);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ClipMediaException(clipIndex, clipId, "its video URL is not a URL: " + url, e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "file" -> ownFile(clipIndex, clipId, uri);
            case "http", "https" -> download(clipIndex, clipId, uri, workDir);
            default -> throw new ClipMediaException(clipIndex, clipId,
                    "its video URL is neither http(s) nor a file of this service: " + url, null);
        };
    }

    /** {@code <id>/video} of this service's own clip URL: the file {@code ownClipsDir/<id>.mp4}. */
    private Path ownClip(int clipIndex, String clipId, String rest) throws ClipMediaException {
        String id = rest.replaceFirst("/video([?#].*)?$", "");
        if (id.equals(rest) || !CLIP_ID.matcher(id).matches()) {
            throw new ClipMediaException(clipIndex, clipId, "its video URL is not one of this service's clip URLs: "
                    + ownBaseUrl + OWN_PATH + rest, null);
        }
        Path file = ownClipsDir.resolve(id + ".mp4");
        if (!Files.isRegularFile(file)) {
            throw new ClipMediaException(clipIndex, clipId, "its video file is missing (" + file + ")", null);
        }
        return file;
    }

    /** A file URL (or absolute path) is read only inside the clips directory: no other file is exposed. */
    private Path ownFile(int clipIndex, String clipId, URI uri) throws ClipMediaException {
        Path file;
        try {
            file = Path.of(uri).toAbsolutePath().normalize();
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            throw new ClipMediaException(clipIndex, clipId, "its video URL is not a local file: " + uri, e);
        }
        if (!file.startsWith(ownClipsDir)) {
            throw new ClipMediaException(clipIndex, clipId, "its video file " + file + " is outside the clips folder "
                    + ownClipsDir, null);
        }
        if (!Files.isRegularFile(file)) {
            throw new ClipMediaException(clipIndex, clipId, "its video file is missing (" + file + ")", null);
        }
        return file;
    }

    /**
     * Downloads into {@code workDir/clip-<index>.video}: the whole download within the fetch timeout
     * (not just the connection), at most {@code maxBytes} (a larger Content-Length is refused before
     * the body is read, a longer body as soon as it passes the limit).
     */
    private Path download(int clipIndex, String clipId, URI uri, Path workDir)
            throws ClipMediaException, InterruptedException {
        long deadline = System.nanoTime() + limits.fetchTimeout().toNanos();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(limits.fetchTimeout()).GET().build();
        Path file = workDir.resolve("clip-" + clipIndex + ".video");
        CompletableFuture<HttpResponse<InputStream>> pending =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        boolean done = false;
        try {
            HttpResponse<InputStream> response = pending.get(remaining(deadline), TimeUnit.NANOSECONDS);
            try (InputStream body = response.body()) {
                if (response.statusCode() / 100 != 2) {
                    throw new ClipMediaException(clipIndex, clipId, "fetching its video from " + uri + " answered HTTP "
                            + response.statusCode(), null);
                }
                long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (declared > limits.maxBytes()) {
                    throw tooLarge(clipIndex, clipId, uri, declared + " bytes");
                }
                Files.createDirectories(workDir);
                copyWithin(body, file, deadline, clipIndex, clipId, uri);
            }
            done = true;
            return file;
        } catch (TimeoutException e) {
            throw timedOut(clipIndex, clipId, uri, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw timedOut(clipIndex, clipId, uri, cause);
            }
            throw new ClipMediaException(clipIndex, clipId, "fetching its video from " + uri + " failed: " + cause, cause);
        } catch (IOException e) {
            throw new ClipMediaException(clipIndex, clipId, "fetching its video from " + uri + " failed: " + e, e);
        } finally {
            if (!done) {
                pending.cancel(true);
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // the caller deletes workDir anyway
                }
            }
        }
    }

    /**
     * Copies the body, refusing more than {@code maxBytes}; the reads run on this thread while a timer
     * closes the body at the deadline, so a server that stalls mid-body cannot hold the fetch past it.
     */
    private void copyWithin(InputStream body, Path file, long deadline, int clipIndex, String clipId, URI uri)
            throws IOException, ClipMediaException, TimeoutException {
        ScheduledFuture<?> guard = TIMER.schedule(() -> {
            try {
                body.close();
            } catch (IOException ignored) {
                // closing is how the stalled read is ended; its error is the timeout below
            }
        }, remaining(deadline), TimeUnit.NANOSECONDS);
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = body.read(buffer)) >= 0) {
                total += n;
                if (total > limits.maxBytes()) {
                    throw tooLarge(clipIndex, clipId, uri, "more than " + limits.maxBytes() + " bytes");
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            if (remaining(deadline) <= 0) {
                throw new TimeoutException("the download did not finish in time");
            }
            throw e;
        } finally {
            guard.cancel(false);
        }
        if (remaining(deadline) <= 0) {
            throw new TimeoutException("the download did not finish in time");
        }
    }

    private ClipMediaException tooLarge(int clipIndex, String clipId, URI uri, String size) {
        return new ClipMediaException(clipIndex, clipId, "its video at " + uri + " is too large (" + size
                + "; the limit is " + limits.maxBytes() + " bytes)", null);
    }

    private ClipMediaException timedOut(int clipIndex, String clipId, URI uri, Throwable cause) {
        return new ClipMediaException(clipIndex, clipId, "fetching its video from " + uri + " timed out after "
                + limits.fetchTimeout().toMillis() / 1000.0 + " s", cause);
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }
}
