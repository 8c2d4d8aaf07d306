package com.vibecraft.pipeline.media;

/**
 * A composition that failed for a reason other than one clip's defect: the song's audio cannot be
 * read, the disk is full, the encoder failed. The message says which; no partial file is left.
 */
public class CompositionException extends Exception {

    public CompositionException(String message, Throwable cause) {
        super(message, cause);
    }

    public CompositionException(String message) {
        super(message);
    }
}
