package com.vibecraft.pipeline.storage;

/** The database could not do what was asked; the caller maps it to 503. */
public class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message + ": " + cause.getMessage(), cause);
    }
}
