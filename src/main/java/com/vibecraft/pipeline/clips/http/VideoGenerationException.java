package com.vibecraft.pipeline.clips.http;

import java.util.Objects;
import java.util.Optional;

/**
 * Why {@link HttpVideoGenerator} made no clip. The message is meant for people and never contains the API token.
 *
 * <p>{@link #retryable()} tells whose fault it was. {@code true}: the remote service (or its configuration) —
 * unreachable, timed out, 5xx, rate-limited, rejected our credentials, answered nonsense, ran past the deadline;
 * the same job may well succeed later and the failure should count against the service (circuit breaker).
 * {@code false}: the job itself — the service looked at this input and refused it (400/422 and other 4xx) or the
 * prediction ended {@code failed}, or somebody {@code canceled} it; retrying the same input is pointless and the
 * service is healthy.
 */
public class VideoGenerationException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong; see {@link #retryable()} for how each one is classified. */
    public enum Reason {
        /** Connection refused/reset, DNS, TLS, request timeout: retryable. */
        TRANSPORT,
        /** A non-2xx answer to create or poll; retryable depends on the status, see {@link #isServiceStatus(int)}. */
        HTTP_STATUS,
        /** The answer was not the JSON we expect (unparseable, not an object, no id, no status): retryable. */
        INVALID_RESPONSE,
        /** The prediction ended with status {@code failed}: the job's fault, not retryable. */
        PREDICTION_FAILED,
        /** The prediction ended with status {@code canceled} (someone else stopped it): not retryable. */
        PREDICTION_CANCELED,
        /** The prediction did not finish before the deadline (a cancel was attempted): retryable. */
        DEADLINE_EXCEEDED,
        /** Status {@code succeeded} but no usable video URL in {@code output}: retryable. */
        MISSING_OUTPUT
    }

    private final Reason reason;
    private final int httpStatus;
    private final String predictionId;
    private final boolean retryable;

    public VideoGenerationException(Reason reason, String message, int httpStatus, String predictionId,
            Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.httpStatus = httpStatus;
        this.predictionId = predictionId;
        this.retryable = switch (reason) {
            case TRANSPORT, INVALID_RESPONSE, DEADLINE_EXCEEDED, MISSING_OUTPUT -> true;
            case PREDICTION_FAILED, PREDICTION_CANCELED -> false;
            case HTTP_STATUS -> isServiceStatus(httpStatus);
        };
    }

    public VideoGenerationException(Reason reason, String message) {
        this(reason, message, 0, null, null);
    }

    /**
     * Which HTTP statuses are the service's (or its configuration's) fault: every 5xx, 408, 409, 425, 429, and
     * 401/403/404 — bad credentials or a wrong URL/model fail every job alike, so they should open the breaker
     * rather than burn through the queue as "failed jobs". Any other 4xx (400, 413, 422, ...) means this request
     * was rejected: the job's fault.
     */
    public static boolean isServiceStatus(int status) {
        return status >= 500
                || status == 401 || status == 403 || status == 404
                || status == 408 || status == 409 || status == 425 || status == 429;
    }

    public Reason reason() {
        return reason;
    }

    /** {@code true}: the service's fault, worth retrying later and counted by the circuit breaker. */
    public boolean retryable() {
        return retryable;
    }

    /** The HTTP status for {@link Reason#HTTP_STATUS}, otherwise 0. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The remote prediction's id, when one had been created. */
    public Optional<String> predictionId() {
        return Optional.ofNullable(predictionId);
    }
}
