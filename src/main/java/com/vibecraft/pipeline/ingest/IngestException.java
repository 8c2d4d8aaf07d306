package com.vibecraft.pipeline.ingest;

/** A song that cannot be taken in, with the reason a client (or the inbox) should see. */
public class IngestException extends RuntimeException {

    public enum Reason {
        /** no file, or a file of zero bytes */
        EMPTY,
        /** more bytes than the configured maximum */
        TOO_LARGE,
        /** the bytes are not a supported audio format */
        NOT_AUDIO,
        /** looks like audio but cannot be decoded */
        UNDECODABLE,
        /** decodes, but is longer than the configured maximum duration */
        TOO_LONG,
        /** decodes, but is shorter than the configured minimum duration (a blip, not a song) */
        TOO_SHORT
    }

    private final Reason reason;

    public IngestException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public IngestException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
