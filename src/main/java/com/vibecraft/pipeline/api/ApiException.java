package com.vibecraft.pipeline.api;

/** An HTTP error with the message a client should read (SPEC §7 error shape). */
public class ApiException extends RuntimeException {

    private final int status;

    public ApiException(int status, String detail) {
        super(detail);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, detail);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, detail);
    }

    /** An id from a path: a malformed one names nothing, so it is a 404 like an unknown one. */
    public static java.util.UUID uuidOr404(String id, String notFoundDetail) {
        try {
            return java.util.UUID.fromString(id);
        } catch (RuntimeException e) {
            throw notFound(notFoundDetail);
        }
    }

    public static ApiException conflict(String detail) {
        return new ApiException(409, detail);
    }
}
