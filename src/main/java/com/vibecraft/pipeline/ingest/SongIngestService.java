package com.vibecraft.pipeline.ingest;

import com.vibecraft.pipeline.audio.AudioDecoder;
import com.vibecraft.pipeline.audio.AudioKind;
import com.vibecraft.pipeline.audio.AudioSniffer;
import com.vibecraft.pipeline.audio.AudioTooLongException;
import com.vibecraft.pipeline.audio.DecodedAudio;
import com.vibecraft.pipeline.audio.DecodedAudioCache;
import com.vibecraft.pipeline.audio.UndecodableAudioException;
import com.vibecraft.pipeline.song.NewSong;
import com.vibecraft.pipeline.song.Song;
import com.vibecraft.pipeline.song.SongRepository;
import com.vibecraft.pipeline.storage.DataDirectory;
import com.vibecraft.pipeline.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a song file in: checks size, sniffs the format from the bytes, de-duplicates by SHA-256,
 * decodes it to learn the duration, stores the original under the data directory and writes the row.
 * Either everything is stored or nothing is.
 */
public class SongIngestService {

    private static final Logger LOG = LoggerFactory.getLogger(SongIngestService.class);

    private final SongRepository songs;
    private final DataDirectory dataDirectory;
    private final AudioDecoder decoder;
    private final DecodedAudioCache decoded;
    private final long maxBytes;
    private final double maxDurationSec;
    private final double minDurationSec;

    public SongIngestService(SongRepository songs, DataDirectory dataDirectory, AudioDecoder decoder,
                             DecodedAudioCache decoded, long maxBytes, double minDurationSec, double maxDurationSec) {
        this.songs = songs;
        this.dataDirectory = dataDirectory;
        this.decoder = decoder;
        this.decoded = decoded;
        this.maxBytes = maxBytes;
        this.maxDurationSec = maxDurationSec;
        this.minDurationSec = minDurationSec;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * @param source           the received file; it is moved into storage or deleted, never left behind
     *                         when {@code consumeSource} is true
     * @param originalFilename the client's name for it (display only)
     * @param title            optional title; defaults to the file name without extension
     */
    public IngestResult ingest(Path source, String originalFilename, String title, boolean consumeSource) {
        try {
            return doIngest(source, originalFilename, title, consumeSource);
        } finally {
            if (consumeSource) {
                deleteQuietly(source);
            }
        }
    }

    private IngestResult doIngest(Path source, String originalFilename, String title, boolean consumeSource) {
        long size = size(source);
        if (size == 0) {
            throw new IngestException(IngestException.Reason.EMPTY, "The uploaded file is empty.");
        }
        if (size > maxBytes) {
            throw new IngestException(IngestException.Reason.TOO_LARGE,
                    "The file is " + size + " bytes; the limit is " + maxBytes + " bytes.");
        }
        AudioKind kind = AudioSniffer.sniff(readHead(source)).orElseThrow(() -> new IngestException(
                IngestException.Reason.NOT_AUDIO,
                "The file is not a supported audio format (WAV, MP3, FLAC or OGG Vorbis)."));
        String sha256 = sha256(source);
        Optional<Song> existing = songs.findBySha256(sha256);
        if (existing.isPresent()) {
            LOG.info("Song {} already stored (same SHA-256), upload ignored", existing.get().id());
            return new IngestResult(existing.get(), false);
        }
        DecodedAudio audio = decode(source, kind);
        double duration = audio.durationSec();
        if (duration < minDurationSec) {
            throw new IngestException(IngestException.Reason.TOO_SHORT, String.format(Locale.ROOT,
                    "The audio lasts %.3f s; songs must last at least %s s.", duration, trim(minDurationSec)));
        }

        String name = FileNames.sanitize(originalFilename);
        String cleanTitle = title == null || title.isBlank() ? FileNames.titleFrom(name) : sanitizeTitle(title);
        UUID id = UUID.randomUUID();
        Path target = dataDirectory.audio().resolve(id + "." + kind.extension());
        store(source, target, consumeSource);
        NewSong row = new NewSong(id, cleanTitle, name, kind.contentType(), kind.name().toLowerCase(Locale.ROOT),
                size, sha256, dataDirectory.relativize(target), duration);
        try {
            songs.insert(row);
        } catch (StorageException e) {
            deleteQuietly(target);
            // a concurrent upload of the same bytes won the unique constraint: answer with its song
            Optional<Song> winner = songs.findBySha256(sha256);
            if (winner.isPresent()) {
                return new IngestResult(winner.get(), false);
            }
            throw e;
        }
        decoded.put(id, audio); // the analysis starts right away and needs the same samples
        Song song = songs.findById(id).orElseThrow();
        LOG.info("Song {} uploaded: '{}', {} bytes, {} s, {}", id, cleanTitle, size, String.format(Locale.ROOT, "%.1f",
                duration), kind);
        return new IngestResult(song, true);
    }

    private DecodedAudio decode(Path source, AudioKind kind) {
        try {
            return decoder.decode(source, kind, maxDurationSec);
        } catch (AudioTooLongException e) {
            throw new IngestException(IngestException.Reason.TOO_LONG, e.getMessage(), e);
        } catch (UndecodableAudioException e) {
            throw new IngestException(IngestException.Reason.UNDECODABLE, e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the received file: " + e.getMessage(), e);
        }
    }

    private static String trim(double seconds) {
        return seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds);
    }

    private static String sanitizeTitle(String title) {
        String t = title.codePoints().filter(cp -> !Character.isISOControl(cp))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        // cut by code points, so an emoji is never split in half
        return t.codePointCount(0, t.length()) > 300 ? t.substring(0, t.offsetByCodePoints(0, 300)) : t;
    }

    private void store(Path source, Path target, boolean move) {
        try {
            Path tmp = target.resolveSibling(target.getFileName() + ".part");
            if (move) {
                Files.move(source, tmp, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store the audio file: " + e.getMessage(), e);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the received file: " + e.getMessage(), e);
        }
    }

    private static byte[] readHead(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            return in.readNBytes(AudioSniffer.HEAD_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the received file: " + e.getMessage(), e);
        }
    }

    static String sha256(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the received file: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", p, e.getMessage());
        }
    }
}
