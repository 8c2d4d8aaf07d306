package com.vibecraft.pipeline.domain;

import java.util.UUID;

/** What was asked for does not exist (the API answers 404 with this message). */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message);
    }

    /** An id from outside: a malformed one names nothing, so it is not found like an unknown one. */
    public static UUID parseId(String id, String notFoundMessage) {
        try {
            return UUID.fromString(id);
        } catch (RuntimeException e) {
            throw new NotFoundException(notFoundMessage);
        }
    }
}
