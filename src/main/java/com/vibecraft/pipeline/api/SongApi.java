package com.vibecraft.pipeline.api;

import com.vibecraft.pipeline.analysis.SongAnalysis;
import com.vibecraft.pipeline.flow.FlowProperties;
import com.vibecraft.pipeline.ingest.IngestException;
import com.vibecraft.pipeline.ingest.IngestResult;
import com.vibecraft.pipeline.ingest.SongIngestService;
import com.vibecraft.pipeline.song.Song;
import com.vibecraft.pipeline.song.AnalysisClaims;
import com.vibecraft.pipeline.song.AnalysisStore;
import com.vibecraft.pipeline.song.SongRepository;
import com.vibecraft.pipeline.song.SongStatus;
import com.vibecraft.pipeline.storage.DataDirectory;
import jakarta.activation.DataHandler;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.attachment.CamelFileDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Java side of the song endpoints in routes/api-songs.camel.yaml and routes/10-ingest.camel.yaml. */
public class SongApi {

    private static final Logger LOG = LoggerFactory.getLogger(SongApi.class);

    static final String FILE_FIELD = "file";

    private final SongRepository songs;
    private final AnalysisClaims claims;
    private final AnalysisStore store;
    private final SongIngestService ingest;
    private final DataDirectory dataDirectory;

    public SongApi(SongRepository songs, AnalysisClaims claims, AnalysisStore store, SongIngestService ingest,
                   DataDirectory dataDirectory) {
        this.songs = songs;
        this.claims = claims;
        this.store = store;
        this.ingest = ingest;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Takes the multipart field {@code file} off the request and leaves a staged copy the ingest route owns.
     * Sets headers {@code stagedFile}, {@code originalFilename}, {@code title}.
     */
    public void stageUpload(Exchange exchange) {
        Message msg = exchange.getMessage();
        AttachmentMessage am = exchange.getMessage(AttachmentMessage.class);
        Map<String, DataHandler> files = am.hasAttachments() ? am.getAttachments() : Map.of();
        try {
            if (files.isEmpty()) {
                throw ApiException.badRequest("No file: send the audio as the multipart/form-data field 'file'.");
            }
            Integer parts = msg.getHeader("CamelAttachmentsSize", Integer.class);
            if (files.size() > 1 || parts != null && parts > 1) {
                throw ApiException.badRequest("Send exactly one file, in the multipart field 'file'.");
            }
            DataHandler dh = files.get(FILE_FIELD);
            if (dh == null) {
                throw ApiException.badRequest("No file: send the audio as the multipart/form-data field 'file' (got '"
                        + files.keySet().iterator().next() + "').");
            }
            Path staged = dataDirectory.staging().resolve(UUID.randomUUID() + ".upload");
            if (dh.getDataSource() instanceof CamelFileDataSource fds) {
                Files.move(fds.getFile().toPath(), staged, StandardCopyOption.REPLACE_EXISTING);
            } else {
                try (InputStream in = dh.getInputStream()) {
                    copyLimited(in, staged, ingest.maxBytes());
                }
            }
            msg.setHeader("stagedFile", staged.toString());
            msg.setHeader("originalFilename", dh.getName());
            Object title = msg.getHeader("title");
            msg.setHeader("title", title == null ? null : String.valueOf(title));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not receive the upload: " + e.getMessage(), e);
        } finally {
            deleteAttachments(files);
            msg.setBody(null);
        }
    }

    /** Runs the shared ingest; 201 for a new song, 200 when identical bytes were already stored. */
    public Song ingestStaged(Exchange exchange, boolean consume) {
        Message msg = exchange.getMessage();
        Path staged = Path.of(msg.getHeader("stagedFile", String.class));
        IngestResult r = ingest.ingest(staged, msg.getHeader("originalFilename", String.class),
                msg.getHeader("title", String.class), consume);
        msg.setHeader("songCreated", r.created());
        msg.setHeader("startAnalysis", r.created() || r.song().status() == SongStatus.UPLOADED);
        exchange.setProperty(FlowProperties.SONG_ID, r.song().id());
        return r.song();
    }

    public Song get(String songId) {
        return songs.findById(parseId(songId)).orElseThrow(() -> songNotFound(songId));
    }

    public List<Song> list(Exchange exchange) {
        int limit = paging(exchange.getMessage().getHeader("limit"), "limit", 50, 1, 500);
        int offset = paging(exchange.getMessage().getHeader("offset"), "offset", 0, 0, Integer.MAX_VALUE);
        return songs.list(limit, offset);
    }

    public SongAnalysis analysis(String songId) {
        Song song = get(songId);
        return store.findAnalysis(song.id()).orElseThrow(() -> ApiException.notFound(
                "Song " + song.id() + " has no analysis yet (status: " + song.status().value() + ")."));
    }

    /** Claims the song for a new analysis; 409 while one runs. */
    public Song requestAnalysis(String songId) {
        Song song = get(songId);
        if (!claims.claimForAnalysis(song.id())) {
            throw ApiException.conflict("Song " + song.id() + " is already being analysed.");
        }
        LOG.info("Song {} analyzing: a new analysis was requested", song.id());
        return songs.findById(song.id()).orElseThrow();
    }

    public File audioFile(String songId) {
        Song song = get(songId);
        return dataDirectory.resolve(song.storagePath()).toFile();
    }

    private static int paging(Object raw, String name, int dflt, int min, int max) {
        if (raw == null || String.valueOf(raw).isBlank()) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(String.valueOf(raw).trim());
            if (v < min || v > max) {
                throw ApiException.badRequest("'" + name + "' must be between " + min + " and " + max + ".");
            }
            return v;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("'" + name + "' must be a whole number.");
        }
    }

    static UUID parseId(String songId) {
        return ApiException.uuidOr404(songId, songNotFound(songId).getMessage());
    }

    private static ApiException songNotFound(String songId) {
        return ApiException.notFound("Song " + abbreviate(songId) + " was not found.");
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "(none)";
        }
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }

    private static void copyLimited(InputStream in, Path target, long max) throws IOException {
        long n = Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        if (n > max) {
            Files.deleteIfExists(target);
            throw new IngestException(IngestException.Reason.TOO_LARGE,
                    "The file is larger than the limit of " + max + " bytes.");
        }
    }

    private static void deleteAttachments(Map<String, DataHandler> files) {
        for (DataHandler dh : files.values()) {
            if (dh.getDataSource() instanceof CamelFileDataSource fds) {
                try {
                    Files.deleteIfExists(fds.getFile().toPath());
                } catch (IOException ignored) {
                    // Vert.x removes its upload folder content on its own as well
                }
            }
        }
    }
}
