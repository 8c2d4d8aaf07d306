package com.vibecraft.pipeline.audio;

/**
 * The bytes could not be turned into audio samples (corrupt, truncated, empty, or an encoding
 * variant the decoders do not handle). The message is meant for the user (HTTP 422).
 */
public class UndecodableAudioException extends Exception {

    public UndecodableAudioException(String message) {
        super(message);
    }

    public UndecodableAudioException(String message, Throwable cause) {
        super(message, cause);
    }
}
