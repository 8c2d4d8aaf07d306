package com.vibecraft.pipeline.audio;

/** Audio formats the pipeline accepts, recognised from the bytes themselves. */
public enum AudioKind {
    WAV("audio/wav", "wav"),
    MP3("audio/mpeg", "mp3"),
    FLAC("audio/flac", "flac"),
    OGG("audio/ogg", "ogg");

    private final String contentType;
    private final String extension;

    AudioKind(String contentType, String extension) {
        this.contentType = contentType;
        this.extension = extension;
    }

    public String contentType() {
        return contentType;
    }

    public String extension() {
        return extension;
    }
}
