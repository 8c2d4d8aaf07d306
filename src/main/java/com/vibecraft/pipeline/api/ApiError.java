package com.vibecraft.pipeline.api;

/** The JSON body of every error: {@code {"status": 404, "error": "Not Found", "detail": "…"}}. */
public record ApiError(int status, String error, String detail) {
}
