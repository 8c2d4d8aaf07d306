package com.vibecraft.pipeline.api;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import com.vibecraft.pipeline.flow.VideoSteps;

/** Serves stored files (song originals, preview clips, music videos), whole (200) or one range (206), so players can seek. */
public class FileResponder {

    /** Media players ask for open ranges ({@code bytes=0-}); a shorter 206 keeps each response small. */
    static final long MAX_RANGE_BYTES = 4L << 20;

    private final SongApi songApi;
    private final ClipApi clipApi;
    private final VideoSteps videoSteps;

    public FileResponder(SongApi songApi, ClipApi clipApi, VideoSteps videoSteps) {
        this.songApi = songApi;
        this.clipApi = clipApi;
        this.videoSteps = videoSteps;
    }

    public void songAudio(Exchange exchange) {
        String songId = exchange.getMessage().getHeader("songId", String.class);
        respond(exchange, songApi.audioFile(songId), songApi.get(songId).contentType());
    }

    public void clipVideo(Exchange exchange) {
        respond(exchange, clipApi.videoFile(exchange.getMessage().getHeader("clipId", String.class)), "video/mp4");
    }

    public void songVideo(Exchange exchange) {
        respond(exchange, videoSteps.videoFile(exchange.getMessage().getHeader("songId", String.class)), "video/mp4");
    }

    private void respond(Exchange exchange, File file, String contentType) {
        Message msg = exchange.getMessage();
        long size = file.length();
        String rangeHeader = msg.getHeader("Range", String.class);
        try {
            Optional<ByteRange> range;
            try {
                range = ByteRange.parse(rangeHeader, size);
            } catch (ApiException e) {
                ApiErrors.write(exchange, ApiErrors.error(416, e.getMessage()));
                msg.setHeader("Content-Range", "bytes */" + size);
                return;
            }
            msg.removeHeaders("*", "CamelHttp*");
            msg.setHeader(Exchange.CONTENT_TYPE, contentType);
            msg.setHeader("Accept-Ranges", "bytes");
            if (range.isPresent()) {
                ByteRange r = range.get().capped(MAX_RANGE_BYTES);
                byte[] bytes = new byte[Math.toIntExact(r.length())];
                try (RandomAccessFile raf = new RandomAccessFile(file, "r")) {
                    raf.seek(r.start());
                    raf.readFully(bytes);
                }
                msg.setHeader(Exchange.HTTP_RESPONSE_CODE, 206);
                msg.setHeader("Content-Range", "bytes " + r.start() + "-" + r.end() + "/" + size);
                msg.setBody(bytes);
            } else {
                msg.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
                msg.setBody(Files.newInputStream(file.toPath()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file.getName(), e);
        }
    }
}
