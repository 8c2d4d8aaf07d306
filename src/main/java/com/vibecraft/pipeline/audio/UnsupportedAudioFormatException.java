package com.vibecraft.pipeline.audio;

/**
 * The bytes are not one of the audio formats we accept (see {@link AudioSniffer}); HTTP 415.
 * A subclass of {@link UndecodableAudioException} so that a caller catching only that one still
 * rejects the file; catch this one first to tell the two apart.
 */
public class UnsupportedAudioFormatException extends UndecodableAudioException {

    public UnsupportedAudioFormatException(String message) {
        super(message);
    }
}
