package com.vibecraft.pipeline.clips.http;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Where and how {@link HttpVideoGenerator} talks to a Replicate-style predictions API.
 *
 * @param baseUrl        API root, e.g. {@code https://api.replicate.com/v1}; trailing slashes are dropped
 * @param apiToken       sent as {@code Authorization: Bearer ...}; {@code null} or blank sends no Authorization
 * @param model          sent as the prediction's {@code version} (a version id or {@code owner/model[:version]})
 * @param requestTimeout upper bound for one HTTP request (also the connect timeout)
 * @param pollInterval   pause between two status polls
 * @param deadline       upper bound for one whole {@code generate} call, creation included
 */
public record HttpVideoSettings(
        String baseUrl,
        String apiToken,
        String model,
        Duration requestTimeout,
        Duration pollInterval,
        Duration deadline) {

    public HttpVideoSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        baseUrl = baseUrl.strip();
        while (baseUrl.endsWith("/")) {
            baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(baseUrl);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("baseUrl is not a URL: " + baseUrl);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL: " + baseUrl);
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("baseUrl must not carry user info, a query or a fragment");
        }
        apiToken = apiToken == null || apiToken.isBlank() ? null : apiToken.strip();
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model must be set");
        }
        model = model.strip();
        requirePositive(requestTimeout, "requestTimeout");
        requirePositive(pollInterval, "pollInterval");
        requirePositive(deadline, "deadline");
    }

    /** Settings with a 30 s request timeout, a 2 s poll interval and a 10 min deadline. */
    public static HttpVideoSettings withDefaults(String baseUrl, String apiToken, String model) {
        return new HttpVideoSettings(baseUrl, apiToken, model,
                Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofMinutes(10));
    }

    /** Whether a token is configured (and so an Authorization header is sent). */
    public boolean hasToken() {
        return apiToken != null;
    }

    /** Never shows the token, only whether one is set. */
    @Override
    public String toString() {
        return "HttpVideoSettings[baseUrl=" + baseUrl
                + ", apiToken=" + (apiToken == null ? "<none>" : "<set>")
                + ", model=" + model
                + ", requestTimeout=" + requestTimeout
                + ", pollInterval=" + pollInterval
                + ", deadline=" + deadline + "]";
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be a positive duration, was " + d);
        }
    }
}
