package com.vibecraft.pipeline.domain;

/** The request cannot be done in the thing's present state (the API answers 409 with this message). */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
