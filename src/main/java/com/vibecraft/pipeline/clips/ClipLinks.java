package com.vibecraft.pipeline.clips;

import java.util.UUID;

/**
 * The addresses our clips and jobs give out, under the service's public base URL: the song's audio
 * a job points the video model to, and a clip's preview video.
 */
public final class ClipLinks {

    private final String publicBaseUrl;

    public ClipLinks(String publicBaseUrl) {
        this.publicBaseUrl = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1)
                : publicBaseUrl;
    }

    /** The service's public base URL, without a trailing slash. */
    public String publicBaseUrl() {
        return publicBaseUrl;
    }

    /** The job of a clip's current attempt, as it goes on the stream. */
    public ClipJob job(Clip c) {
        return new ClipJob(c.id(), c.jobId(), c.songId(), c.sectionId(), c.sectionType(), c.sectionDisplayName(),
                c.startSec(), c.endSec(), c.durationSec(), c.fps(), c.numFrames(), c.prompt(), c.styleSeed(),
                c.attempts(), publicBaseUrl + "/api/v1/songs/" + c.songId() + "/audio");
    }

    public String videoUrl(UUID clipId) {
        return publicBaseUrl + "/api/v1/clips/" + clipId + "/video";
    }
}
